"""Optuna's side of bench/samplers/run.sh: the same four problems as bench/SamplerBench, each sampler over seeds x trials,
one CSV row per run (problem, sampler, seed, best after 30 trials, best after all, seconds spent in the sampler's study)."""
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann(x, a, p):
    return -sum(ALPHA[i] * math.exp(-sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x)))) for i in range(4))


def branin(t):
    x1, x2 = t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)
    b, c, r, s, tt = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - tt) * math.cos(x1) + s


def hartmann3(t):
    return hartmann([t.suggest_float(f"x{j}", 0, 1) for j in range(3)], H3_A, H3_P)


def hartmann6(t):
    return hartmann([t.suggest_float(f"x{j}", 0, 1) for j in range(6)], H6_A, H6_P)


def rosenbrock5_log(t):
    u = [t.suggest_float(f"u{j}", 0.01, 10, log=True) for j in range(5)]
    f = sum(100 * (u[i + 1] - u[i] ** 2) ** 2 + (1 - u[i]) ** 2 for i in range(4))
    return math.log10(1 + f)


OFFSETS = [0.8, 0.0, 1.5, 0.4, 2.0]
SHIFTS = [2.0, -1.0, 0.5]


def mixed(t):
    a = t.suggest_categorical("a", ["a0", "a1", "a2", "a3", "a4"])
    b = t.suggest_categorical("b", ["sgd", "adam", "rmsprop"])
    x = t.suggest_float("x", -5, 5)
    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
    n = t.suggest_int("n", 1, 32)
    bi = ["sgd", "adam", "rmsprop"].index(b)
    return OFFSETS[int(a[1])] + (x - SHIFTS[bi]) ** 2 / 10 + (math.log10(lr) + 3 + 0.5 * bi) ** 2 / 4 + ((n - 12) / 8) ** 2


PROBLEMS = {"branin": branin, "hartmann3": hartmann3, "hartmann6": hartmann6, "rosenbrock5-log": rosenbrock5_log,
            "mixed": mixed}
SAMPLERS = {
    "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna-tpe-mv": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
    "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}


def main():
    seeds, trials = int(sys.argv[1]), int(sys.argv[2])
    import warnings
    warnings.simplefilter("ignore")
    print("problem,sampler,seed,best30,best,seconds")
    for problem, objective in PROBLEMS.items():
        for name, make in SAMPLERS.items():
            for seed in range(seeds):
                study = optuna.create_study(sampler=make(seed))
                start = time.perf_counter()
                study.optimize(objective, n_trials=trials)
                seconds = time.perf_counter() - start
                values = [t.value for t in study.trials]
                print(f"{problem},{name},{seed},{min(values[:30])!r},{min(values)!r},{seconds:.4f}", flush=True)


if __name__ == "__main__":
    main()
