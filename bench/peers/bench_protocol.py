# The Python side of the bench protocol (see bench/protocol.ts): JSON lines on stdin, answers on stdout
# prefixed with MARK; anything else printed goes to stderr. Also the timing helpers, mirroring bench/cases.ts.
import ctypes
import json
import os
import sys
import time
import traceback

MARK = "@@bench "
_out = sys.stdout


def _send(obj):
    _out.write(MARK + json.dumps(obj) + "\n")
    _out.flush()


def serve(hello, setup):
    """hello() -> info dict or {"skip": why}; setup(case) -> run() callable returning [values], or {"skip": why}."""
    sys.stdout = sys.stderr  # stray prints must not look like answers
    current = None
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            op = req["op"]
            if op == "hello":
                info = hello()
                _send({"skip": info["skip"]} if "skip" in info else {"ok": True, "info": info})
            elif op == "setup":
                current = None
                prepared = setup(req["case"])
                if isinstance(prepared, dict):
                    _send({"skip": prepared["skip"]})
                else:
                    current = prepared
                    _send({"ok": True})
            elif op == "run":
                if current is None:
                    raise RuntimeError("run before a successful setup")
                _send({"values": [float(v) for v in current()]})
            elif op == "exit":
                return
        except Exception:
            _send({"error": traceback.format_exc()})


def now_ms():
    return time.perf_counter() * 1e3


def steps_for(ms_per_step, p):
    return max(1, min(int(p["maxSteps"]), int(p["budgetMs"] // max(ms_per_step, 1e-3))))


def calls_for(ms_per_call, budget_ms):
    return max(1, min(1_000_000, round(budget_ms / max(ms_per_call, 1e-4))))


def ms_per_call(calls, fn):
    t0 = now_ms()
    for _ in range(calls):
        fn()
    return (now_ms() - t0) / calls


def median_latency_us(calls, fn):
    ts = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[calls // 2] * 1e6


def training_case(p, fit_rows):
    """fit_rows(rows) trains one epoch on the first rows samples; one warm step, one timed step to size a repetition."""
    batch = int(p["batch"])
    t0 = now_ms()
    fit_rows(batch)
    if now_ms() - t0 < 2 * p["budgetMs"]:  # else one step a repetition, without a second calibration step
        t0 = now_ms()
        fit_rows(batch)
    rows = steps_for(now_ms() - t0, p) * batch

    def run():
        t = now_ms()
        fit_rows(rows)
        return [rows / ((now_ms() - t) / 1e3)]

    return run


def fit_case(fit, steps):
    """W1: a whole fit (after one warm-up fit), reported as total ms and us per step."""
    fit()

    def run():
        t0 = now_ms()
        fit()
        ms = now_ms() - t0
        return [ms, ms * 1e3 / steps]

    return run


def calls_case(budget_ms, fn, figure):
    warm = ms_per_call(1, fn)
    calls = 1 if warm >= budget_ms else calls_for(min(warm, ms_per_call(calls_for(warm, budget_ms / 10), fn)), budget_ms)
    return lambda: [figure(ms_per_call(calls, fn))]


def blas_info():
    """The OpenBLAS this process loaded: its config, the core type it chose and its thread count (via ctypes)."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({l.split()[-1] for l in f if "blas" in l.lower() and l.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("", ""), ("scipy_", "64_"), ("", "64_")):
            try:
                config = getattr(lib, f"{prefix}openblas_get_config{suffix}")
                core = getattr(lib, f"{prefix}openblas_get_corename{suffix}")
                threads = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}")
            except AttributeError:
                continue
            config.restype = core.restype = ctypes.c_char_p
            return f"{config().decode().strip()} (core: {core().decode()}, {threads()} threads)"
    return None
