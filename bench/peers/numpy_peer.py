# NumPy as a bench contender: the same math written by hand (Dense forward/backward, Keras' losses,
# Adam), float32 throughout, buffers reused where NumPy allows: the practical limit of "numpy + BLAS".
# Workloads W1, W2, W3, W6; W4 and W5 are not written by hand.
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_protocol import blas_info, calls_case, fit_case, median_latency_us, serve, training_case  # noqa: E402

try:
    import numpy as np
except ImportError as e:
    np = None
    missing = f"numpy does not import in {sys.executable} ({e})"

EPS = 1e-7  # Keras' epsilon: probability clipping and Adam's epsilon
rng = None if np is None else np.random.default_rng()


def uniform(shape, lo=0.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def one_hot(rows, classes):
    y = np.zeros((rows, classes), np.float32)
    y[np.arange(rows), rng.integers(0, classes, rows)] = 1
    return y


class MLP:
    """Dense layers (relu hidden, softmax out), glorot-uniform weights, Adam (Keras defaults but lr)."""

    def __init__(self, sizes, lr):
        self.params = []
        for i, o in zip(sizes[:-1], sizes[1:]):
            lim = np.sqrt(6 / (i + o))
            self.params += [uniform((i, o), -lim, lim), np.zeros(o, np.float32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.scratch = [np.empty_like(p) for p in self.params]
        self.lr, self.t = lr, 0

    def forward(self, x):
        hs = [x]
        n = len(self.params) // 2
        for i in range(n):
            z = hs[-1] @ self.params[2 * i]
            z += self.params[2 * i + 1]
            if i < n - 1:
                np.maximum(z, 0, out=z)
            else:
                z -= z.max(axis=1, keepdims=True)
                np.exp(z, out=z)
                z /= z.sum(axis=1, keepdims=True)
            hs.append(z)
        return hs

    def train_step(self, x, y, loss):
        hs = self.forward(x)
        p = hs[-1]
        rows = x.shape[0]
        if loss == "categorical":  # softmax + categorical crossentropy: d/dlogits = (p - y) / rows
            value = -np.mean(np.sum(y * np.log(np.clip(p, EPS, 1 - EPS)), axis=1))
            dz = (p - y) / rows
        else:  # binary crossentropy on softmax probabilities, mean over rows × classes
            pc = np.clip(p, EPS, 1 - EPS)
            value = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
            dp = (pc - y) / (pc * (1 - pc)) / y.size
            dz = p * (dp - np.sum(dp * p, axis=1, keepdims=True))
        accuracy = np.mean(p.argmax(1) == y.argmax(1))
        grads = [None] * len(self.params)
        for i in reversed(range(len(self.params) // 2)):
            grads[2 * i] = hs[i].T @ dz
            grads[2 * i + 1] = dz.sum(axis=0)
            if i > 0:
                dz = dz @ self.params[2 * i].T
                dz *= hs[i] > 0
        self.adam(grads)
        return float(value), float(accuracy)

    def adam(self, grads, b1=0.9, b2=0.999):
        self.t += 1
        lr = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for w, g, m, v, s in zip(self.params, grads, self.m, self.v, self.scratch):  # in place, no temporaries
            np.multiply(g, 1 - b1, out=s)
            m *= b1
            m += s
            np.multiply(g, g, out=s)
            s *= 1 - b2
            v *= b2
            v += s
            np.sqrt(v, out=s)
            s += EPS
            np.divide(m, s, out=s)
            s *= lr
            w -= s


def fit_epoch(model, x, y, rows, batch, loss):
    order = rng.permutation(rows)
    for s in range(0, rows, batch):
        idx = order[s : s + batch]
        model.train_step(x[idx], y[idx], loss)


def w1(p):
    n, batch = int(p["samples"]), int(p["batch"])
    x = uniform((n, int(p["features"])))
    y = one_hot(n, int(p["classes"]))
    model = MLP([int(p["features"]), int(p["hidden"]), int(p["hidden"]), int(p["classes"])], p["lr"])
    epochs = int(p["epochs"])

    def fit():
        for _ in range(epochs):
            fit_epoch(model, x, y, n, batch, "binary")

    return fit_case(fit, epochs * -(-n // batch))


def w2_model(p):
    return MLP([int(p["inputs"]), int(p["hidden1"]), int(p["hidden2"]), int(p["classes"])], p.get("lr", 1e-3))


def w2(p):
    rows = int(p["maxSteps"] * p["batch"])
    x, y = uniform((rows, int(p["inputs"]))), one_hot(rows, int(p["classes"]))
    model = w2_model(p)
    return training_case(p, lambda r: fit_epoch(model, x, y, r, int(p["batch"]), "categorical"))


def w3(p):
    n = int(p["n"])
    a, b = uniform((n, n), -0.5, 0.5), uniform((n, n), -0.5, 0.5)
    c = np.empty((n, n), np.float32)
    return calls_case(p["budgetMs"], lambda: np.matmul(a, b, out=c), lambda ms: 2 * n**3 / (ms * 1e6))


def w6(p, one):
    model = w2_model(p)
    rows = 1 if one else int(p["batch"])
    x = uniform((rows, int(p["inputs"])))
    predict = lambda: model.forward(x)[-1]  # noqa: E731
    predict()
    if one:
        return lambda: [median_latency_us(int(p["calls"]), predict)]
    return calls_case(p["budgetMs"], predict, lambda ms: rows / (ms / 1e3))


def hello():
    if np is None:
        return {"skip": missing}
    return {"version": np.__version__, "threads": _blas_threads(), "blas": blas_info() or "unknown", "notes": f"python {sys.version.split()[0]} ({sys.executable})"}


def _blas_threads():
    info = blas_info() or ""
    m = re.search(r"(\d+) threads", info)
    return int(m.group(1)) if m else 1


def setup(case):
    w, p = case["workload"], case["params"]
    if w == "W1":
        return w1(p)
    if w == "W2":
        return w2(p)
    if w == "W3":
        return w3(p)
    if w == "W6":
        return w6(p, case["id"] == "W6/1")
    return {"skip": "not written by hand for NumPy (only W1, W2, W3, W6; W7 compares with W1)"}


if __name__ == "__main__":
    serve(hello, setup)
