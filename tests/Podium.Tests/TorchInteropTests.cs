using static TorchSharp.torch;

namespace Podium.Tests;

public class TorchInteropTests
{
    [Fact]
    public void TensorFromArrayIsACopy()
    {
        // The loader recycles batch buffers right after making tensors of them: that is only safe if tensor() copies.
        var data = new float[] { 1, 2, 3, 4 };
        using var t = tensor(data, new long[] { 2, 2 });
        data[0] = 99;
        Assert.Equal(1f, t[0, 0].item<float>());
    }
}
