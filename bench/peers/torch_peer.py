# PyTorch as a bench contender, written as a PyTorch user would: nn modules, torch.optim.Adam, a plain
# training loop with shuffled mini-batches. OMP_WAIT_POLICY=PASSIVE (its OpenMP threads otherwise spin
# beside BLAS's and collapse throughput on few cores) and torch.set_num_threads(cores).
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before libgomp loads with torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_protocol import blas_info, calls_case, fit_case, median_latency_us, serve, training_case  # noqa: E402

try:
    import torch
    from torch import nn
except ImportError as e:
    torch = None
    missing = f"torch does not import in {sys.executable} ({e})"

EPS = 1e-7  # Keras' epsilon, for the same loss and Adam
THREADS = os.cpu_count() or 1
# TENSILE_BENCH_DEVICE=cuda runs PyTorch on the GPU (the peer of tensile's cuda backend); TF32 when TENSILE_TF32=1.
DEVICE = os.environ.get("TENSILE_BENCH_DEVICE", "cpu")
if torch is not None:
    torch.set_num_threads(THREADS)
    if DEVICE == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = os.environ.get("TENSILE_TF32") == "1"


def dev(t):
    return t.to(DEVICE)


def sync():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def one_hot(rows, classes):
    return dev(nn.functional.one_hot(torch.randint(0, classes, (rows,)), classes).float())


def w2_model(p):
    return dev(nn.Sequential(
        nn.Linear(int(p["inputs"]), int(p["hidden1"])), nn.ReLU(),
        nn.Linear(int(p["hidden1"]), int(p["hidden2"])), nn.ReLU(),
        nn.Linear(int(p["hidden2"]), int(p["classes"])),
    ))  # logits: softmax lives in the loss (training) or after the call (predict)


def train_epoch(model, opt, loss_fn, x, y, rows, batch):
    model.train()
    order = torch.randperm(rows, device=x.device)
    for s in range(0, rows, batch):
        idx = order[s : s + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        loss.item()  # the running loss a loop logs (as Keras' fit does)


def training(p, model, x, y):
    opt = torch.optim.Adam(model.parameters(), lr=p["lr"], eps=EPS)
    ce = nn.CrossEntropyLoss()
    loss_fn = lambda logits, target: ce(logits, target.argmax(1))  # noqa: E731
    return training_case(p, lambda rows: train_epoch(model, opt, loss_fn, x, y, rows, int(p["batch"])))


def w1(p):
    n, f, h, c, batch = (int(p[k]) for k in ("samples", "features", "hidden", "classes", "batch"))
    x, y = dev(torch.rand(n, f)), one_hot(n, c)
    # W7's one change each (absent in W1): dropout, or batch normalization, after the first Dense.
    extra = ([nn.Dropout(p["dropout"])] if p.get("dropout") else []) + ([nn.BatchNorm1d(h, eps=1e-3, momentum=0.01)] if p.get("batchNorm") else [])
    model = dev(nn.Sequential(nn.Linear(f, h), nn.ReLU(), *extra, nn.Linear(h, h), nn.ReLU(), nn.Linear(h, c), nn.Softmax(dim=1)))
    opt = torch.optim.Adam(model.parameters(), lr=p["lr"], eps=EPS)
    bce = nn.BCELoss()

    def loss_fn(prob, target):  # Keras' binary crossentropy on probabilities, and its accuracy
        (prob.argmax(1) == target.argmax(1)).float().mean().item()
        return bce(prob.clamp(EPS, 1 - EPS), target)

    epochs = int(p["epochs"])

    def fit():
        for _ in range(epochs):
            train_epoch(model, opt, loss_fn, x, y, n, batch)

    return fit_case(fit, epochs * -(-n // batch))


def w2(p):
    rows = int(p["maxSteps"] * p["batch"])
    return training(p, w2_model(p), dev(torch.rand(rows, int(p["inputs"]))), one_hot(rows, int(p["classes"])))


def w3(p):
    n = int(p["n"])
    a, b, c = dev(torch.rand(n, n) - 0.5), dev(torch.rand(n, n) - 0.5), dev(torch.empty(n, n))

    def call():
        torch.matmul(a, b, out=c)
        sync()

    return calls_case(p["budgetMs"], call, lambda ms: 2 * n**3 / (ms * 1e6))


def w4(p):
    k, f1, f2 = int(p["kernel"]), int(p["filters1"]), int(p["filters2"])
    h = ((int(p["height"]) - k + 1) // 2 - k + 1) // 2
    w = ((int(p["width"]) - k + 1) // 2 - k + 1) // 2
    model = dev(nn.Sequential(
        nn.Conv2d(1, f1, k), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(f1, f2, k), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(f2 * h * w, int(p["dense"])), nn.ReLU(), nn.Linear(int(p["dense"]), int(p["classes"])),
    ))
    rows = int(p["maxSteps"] * p["batch"])
    return training(p, model, dev(torch.rand(rows, 1, int(p["height"]), int(p["width"]))), one_hot(rows, int(p["classes"])))


class LstmClassifier(nn.Module if torch is not None else object):
    def __init__(self, features, units, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.out = nn.Linear(units, classes)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])


def w5(p):
    rows = int(p["maxSteps"] * p["batch"])
    model = dev(LstmClassifier(int(p["features"]), int(p["units"]), int(p["classes"])))
    x = dev(torch.rand(rows, int(p["timesteps"]), int(p["features"])))
    return training(p, model, x, one_hot(rows, int(p["classes"])))


class EncoderClassifier(nn.Module if torch is not None else object):
    # W8: PyTorch's own encoder block (post-norm, batch_first), then the mean over positions and a classifier.
    def __init__(self, d_model, heads, ffn, classes):
        super().__init__()
        self.block = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=ffn, dropout=0.0, batch_first=True, norm_first=False, layer_norm_eps=1e-3)
        self.out = nn.Linear(d_model, classes)

    def forward(self, x):
        return self.out(self.block(x).mean(1))


def w8(p):
    rows = int(p["maxSteps"] * p["batch"])
    model = dev(EncoderClassifier(int(p["dModel"]), int(p["heads"]), int(p["ffn"]), int(p["classes"])))
    x = dev(torch.rand(rows, int(p["seq"]), int(p["dModel"])))
    return training(p, model, x, one_hot(rows, int(p["classes"])))


def w6(p, one):
    model = w2_model(p).eval()
    rows = 1 if one else int(p["batch"])
    x = dev(torch.rand(rows, int(p["inputs"])))

    def predict():
        with torch.inference_mode():
            y = model(x).softmax(1)
        sync()
        return y

    predict()
    if one:
        return lambda: [median_latency_us(int(p["calls"]), predict)]
    return calls_case(p["budgetMs"], predict, lambda ms: rows / (ms / 1e3))


def hello():
    if torch is None:
        return {"skip": missing}
    if DEVICE == "cuda" and not torch.cuda.is_available():
        return {"skip": f"TENSILE_BENCH_DEVICE=cuda but torch {torch.__version__} in {sys.executable} sees no CUDA device"}
    torch.ones(64, 64) @ torch.ones(64, 64)  # load BLAS so blas_info can see it
    return {
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_info() or "unknown",
        "notes": f"python {sys.version.split()[0]} ({sys.executable}); OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}"
        + (f"; device {torch.cuda.get_device_name(0)}" if DEVICE == "cuda" else ""),
    }


SETUPS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W7": w1, "W8": w8}


def setup(case):
    if case["workload"] == "W6":
        return w6(case["params"], case["id"] == "W6/1")
    return SETUPS[case["workload"]](case["params"])


if __name__ == "__main__":
    serve(hello, setup)
