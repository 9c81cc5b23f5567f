# The same measurement as Program.cs in PyTorch (Debian's python3-torch): resnet18, batch 64, 112 px.
import time, torch, torchvision
torch.manual_seed(0)
torch.set_num_threads(__import__("os").cpu_count())  # as Podium: all cores
for dt in [torch.float32, torch.bfloat16]:
    m = torchvision.models.resnet18(num_classes=5).to(dt).train()
    x = torch.randn(64, 3, 112, 112).to(dt)
    y = torch.randint(0, 5, (64,))
    best = 1e9
    for i in range(6):
        t = time.perf_counter()
        torch.nn.functional.cross_entropy(m(x).float(), y).backward()
        if i > 0:
            best = min(best, time.perf_counter() - t)
    print(f"pytorch {str(dt).replace('torch.', ''):9s} {best * 1000:6.0f} ms per forward+backward")
