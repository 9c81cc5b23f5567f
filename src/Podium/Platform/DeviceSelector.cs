using static TorchSharp.torch;

namespace Podium.Platform;

/// <summary>--device auto|cpu|cuda. CUDA needs the TorchSharp-cuda-linux build (-p:TorchBackend=cuda) and a visible GPU.</summary>
public static class DeviceSelector
{
    public static Device Resolve(string requested)
    {
        switch (requested)
        {
            case "cpu": return CPU;
            case "auto": return cuda.is_available() ? CUDA : CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new PodiumException("--device cuda: no CUDA device is usable; this needs a GPU and a build with " +
                        "-p:TorchBackend=cuda (TorchSharp-cuda-linux), see README 'GPU'");
                return CUDA;
            default:
                throw new ConfigException($"--device {requested}: expected auto, cpu or cuda");
        }
    }
}
