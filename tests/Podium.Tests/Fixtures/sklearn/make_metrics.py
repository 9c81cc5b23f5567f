"""Reference values for Podium's metrics, computed with Debian's python3-sklearn (1.2) and numpy.

Writes metrics.json beside this file: cases of labels and float32 probabilities (stored with 9
significant digits, so C# reads back the same float32 values that were widened to float64 here)
and what scikit-learn computes on them. Run: /usr/bin/python3 make_metrics.py
ECE has no scikit-learn function; it is the published formula (Guo et al. 2017, 15 equal-width bins on
the top probability) in numpy.
"""
import json, os
import numpy as np
from sklearn import metrics as M

rng = np.random.default_rng(0)


def f32(a):
    return np.asarray(a, np.float32)


def per_class_binary(fn, y, p, k):
    """fn on each class against the rest, None where the truth has no positives (or no negatives)."""
    out = []
    for c in range(k):
        pos = (y == c).astype(int)
        out.append(None if pos.min() == pos.max() else float(fn(pos, p[:, c].astype(np.float64))))
    return out


def ece(y, p, bins=15):
    conf = p.max(1).astype(np.float64)
    pred = p.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            total += inside.mean() * abs((pred[inside] == y[inside]).mean() - conf[inside].mean())
    return total


def top_k(y, p, k):
    # scikit-learn's tie rule: argsort ascending (stable), reversed, so a tie goes to the higher class index.
    order = np.argsort(p, axis=1, kind="mergesort")[:, ::-1][:, :k]
    return float(np.mean([y[i] in order[i] for i in range(len(y))]))


def multiclass_case(name, y, p):
    k = p.shape[1]
    labels = list(range(k))
    pred = p.argmax(1)
    p64 = p.astype(np.float64)
    prf = {}
    for avg in ["macro", "micro", "weighted"]:
        pr, rc, f1, _ = M.precision_recall_fscore_support(y, pred, labels=labels, average=avg, zero_division=0)
        prf[avg] = [float(pr), float(rc), float(f1)]
    pc = M.precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    roc = per_class_binary(M.roc_auc_score, y, p, k)
    ap = per_class_binary(M.average_precision_score, y, p, k)
    present = [c for c in range(k) if roc[c] is not None]
    support = np.bincount(y, minlength=k)
    return {
        "name": name, "classes": k, "truth": y.tolist(), "probabilities": [[f"{v:.9g}" for v in row] for row in p],
        "accuracy": float(M.accuracy_score(y, pred)),
        "top2": top_k(y, p, 2),
        "prf": prf,
        "per_class": {"precision": pc[0].tolist(), "recall": pc[1].tolist(), "f1": pc[2].tolist(), "support": pc[3].tolist()},
        "balanced_accuracy": float(M.balanced_accuracy_score(y, pred)),
        "kappa": float(M.cohen_kappa_score(y, pred, labels=labels)),
        "kappa_linear": float(M.cohen_kappa_score(y, pred, labels=labels, weights="linear")),
        "kappa_quadratic": float(M.cohen_kappa_score(y, pred, labels=labels, weights="quadratic")),
        "roc_auc_per_class": roc,
        # macro one-vs-rest over the classes present in the truth (scikit-learn refuses a class without positives)
        "roc_auc_macro": float(np.mean([roc[c] for c in present])),
        "roc_auc_weighted": float(np.sum([roc[c] * support[c] for c in present]) / support[present].sum()),
        "pr_auc_per_class": ap,
        "pr_auc_macro": float(np.mean([ap[c] for c in present])),
        "log_loss": float(M.log_loss(y, p64, labels=labels)),
        "ece": ece(y, p),
    }


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


cases = []
# Random: 5 classes, 300 samples, logits correlated with the truth.
y = rng.integers(0, 5, 300)
z = rng.normal(0, 1.5, (300, 5))
z[np.arange(300), y] += 1.5
cases.append(multiclass_case("random", y, f32(softmax(z))))
# A class never predicted: its logit pushed down.
y = rng.integers(0, 4, 120)
z = rng.normal(0, 1, (120, 4))
z[np.arange(120), y] += 1.0
z[:, 2] -= 10
cases.append(multiclass_case("never_predicted", y, f32(softmax(z))))
# A class absent from the truth (but predicted sometimes).
y = rng.choice([0, 1, 3], 150)
z = rng.normal(0, 1, (150, 4))
z[np.arange(150), y] += 0.8
cases.append(multiclass_case("absent_from_truth", y, f32(softmax(z))))
# Binary, with tied scores (probabilities on a 0.05 grid).
y = rng.integers(0, 2, 80)
s = np.clip(np.round((rng.normal(0, 0.25, 80) + 0.35 + 0.3 * y) * 20) / 20, 0, 1)
cases.append(multiclass_case("binary_ties", y, f32(np.stack([1 - s, s], 1))))
# Ordinal-looking: 6 grades, predictions near the truth (kappa's weights matter).
y = rng.integers(0, 6, 200)
z = -((np.arange(6)[None, :] - (y[:, None] + rng.normal(0, 1.0, (200, 1)))) ** 2)
cases.append(multiclass_case("ordinal", y, f32(softmax(z))))

# Multi-label: 4 labels, independent scores, threshold 0.5.
n, L = 150, 4
Y = (rng.random((n, L)) < [0.5, 0.3, 0.1, 0.6]).astype(int)
S = f32(np.clip(0.35 * Y + rng.random((n, L)) * 0.65, 0, 1))
P = (S.astype(np.float64) >= 0.5).astype(int)
multilabel = {
    "name": "multilabel", "truth": Y.tolist(), "scores": [[f"{v:.9g}" for v in row] for row in S], "threshold": 0.5,
    "subset_accuracy": float(M.accuracy_score(Y, P)),
    "hamming_loss": float(M.hamming_loss(Y, P)),
    "f1": {avg: float(M.f1_score(Y, P, average=avg, zero_division=0)) for avg in ["micro", "macro", "weighted", "samples"]},
    "precision_micro": float(M.precision_score(Y, P, average="micro", zero_division=0)),
    "recall_micro": float(M.recall_score(Y, P, average="micro", zero_division=0)),
    "roc_auc": {avg: float(M.roc_auc_score(Y, S.astype(np.float64), average=avg)) for avg in ["macro", "micro", "weighted"]},
    "pr_auc": {avg: float(M.average_precision_score(Y, S.astype(np.float64), average=avg)) for avg in ["macro", "micro", "weighted"]},
    # Mean binary log loss over the labels (each label's own log_loss, then the mean).
    "log_loss": float(np.mean([M.log_loss(Y[:, l], S[:, l].astype(np.float64), labels=[0, 1]) for l in range(L)])),
}
# Each label's F1-best threshold on the grid 0.02..0.98 (0.5 kept when it ties the best; else the lowest best):
# what tuning per-label thresholds for macro F1 must find, since macro F1 is a sum over labels.
grid = np.arange(1, 50) / 50.0
def best_threshold(l):
    f1 = [M.f1_score(Y[:, l], (S[:, l].astype(np.float64) >= t).astype(int), zero_division=0) for t in grid]
    at_half = M.f1_score(Y[:, l], (S[:, l].astype(np.float64) >= 0.5).astype(int), zero_division=0)
    best = max(f1)
    return 0.5 if at_half >= best - 1e-12 else float(grid[int(np.argmax(f1))])
multilabel["f1_macro_thresholds"] = [best_threshold(l) for l in range(L)]
multilabel["f1_macro_tuned"] = float(M.f1_score(Y, (S.astype(np.float64) >= np.array(multilabel["f1_macro_thresholds"])).astype(int), average="macro", zero_division=0))

# Stacking: a multinomial logistic regression (C = 1, the intercept unpenalised) on two members' log-probabilities.
from sklearn.linear_model import LogisticRegression
y = rng.integers(0, 3, 200)
members = []
for noise in [1.0, 1.5]:
    z = rng.normal(0, noise, (200, 3))
    z[np.arange(200), y] += 1.0
    members.append(f32(softmax(z)))
X = np.concatenate([np.log(np.maximum(m.astype(np.float64), np.float32(1e-7))) for m in members], 1)
# newton-cg: lbfgs stops with a gradient of 2e-3 here, 1e-5 away in probability from the optimum
lr = LogisticRegression(C=1.0, multi_class="multinomial", solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)
stacking = {"truth": y.tolist(), "members": [[[f"{v:.9g}" for v in row] for row in m] for m in members], "probabilities": lr.predict_proba(X).tolist()}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "metrics.json"), "w") as f:
    json.dump({"multiclass": cases, "multilabel": multilabel, "stacking": stacking}, f)
print(f"wrote {len(cases)} multiclass cases and a multi-label case")
