"""Side-by-side table of a Podium run's epochs.csv and torch_reference.py's log."""
import csv, re, statistics, sys

podium = list(csv.DictReader(open(sys.argv[1])))
torch = [dict(zip(m[0::2], m[1::2])) for m in (l.split()[2:] for l in open(sys.argv[2]) if l.startswith("epoch "))]
print(f"{'epoch':>5} {'podium s':>9} {'torch s':>9} {'podium MB':>10} {'torch MB':>9} {'podium acc':>10} {'torch acc':>9}")
for i, (p, t) in enumerate(zip(podium, torch), 1):
    print(f"{i:>5} {float(p['seconds']):>9.1f} {float(t['seconds']):>9.1f} {float(p['rss_mb']):>10.0f} {float(t['rss_mb']):>9.0f} "
          f"{float(p['val_accuracy']):>10.4f} {float(t['val_accuracy']):>9.4f}")
ps = statistics.mean(float(p["seconds"]) for p in podium)
ts = statistics.mean(float(t["seconds"]) for t in torch)
print(f"seconds per epoch: podium {ps:.1f}, pytorch {ts:.1f}, ratio podium/pytorch {ps / ts:.3f}")
print(f"best val accuracy: podium {max(float(p['val_accuracy']) for p in podium):.4f}, "
      f"pytorch {max(float(t['val_accuracy']) for t in torch):.4f}")
rss = [float(p["rss_mb"]) for p in podium]
print(f"podium RSS MB per epoch: {' '.join(f'{r:.0f}' for r in rss)} (growth after epoch 2: {rss[-1] - rss[min(1, len(rss) - 1)]:+.0f} MB)")
