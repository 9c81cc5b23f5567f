using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// CRNN (Shi, Bai and Yao, "An End-to-End Trainable Neural Network for Image-based Sequence Recognition", 2015) for text
/// lines: a VGG-style CNN with batch norm whose pools halve height and width twice, then the height alone twice (a 48-px
/// line leaves 3 rows, averaged to one: one CTC step per 4 px of width, PaddleOCR's CRNN stride), a two-layer bidirectional
/// LSTM over the columns, and a linear layer to the classes (0 is the CTC blank). Input [N, C, H, W] with H a multiple of
/// 16; output [N, W / 4, classes] logits.
/// </summary>
public sealed class Crnn : Module<Tensor, Tensor>
{
    /// <summary>crnn: the VGG-style CNN, a BiLSTM and a linear layer.</summary>
    [Config.Component("crnn")]
    public sealed record Options : RecogniserOptions
    {
        /// <summary>Channels of the CNN's last blocks.</summary>
        [Config.Positive] public int Width { get; init; } = 256;
        /// <summary>Each LSTM direction's size.</summary>
        [Config.Positive] public int Hidden { get; init; } = 128;

        public override int Stride => Crnn.Stride;

        public override Module<Tensor, Tensor> Build(int classes, int inChannels, int height) =>
            new Crnn(classes, inChannels, Width, Hidden);
    }

    private readonly Sequential cnn;
    private readonly LSTM rnn;
    private readonly Linear fc;

    /// <param name="classes">The character set's classes, the blank included.</param>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="width">Channels of the CNN's last blocks (the LSTM's input).</param>
    /// <param name="hidden">Each LSTM direction's size.</param>
    public Crnn(int classes, int inChannels = 3, int width = 256, int hidden = 128) : base(nameof(Crnn))
    {
        cnn = Sequential(
            Block(inChannels, 64), MaxPool2d(2, 2),
            Block(64, 128), MaxPool2d(2, 2),
            Block(128, width), Block(width, width), MaxPool2d((2, 1), (2, 1)),
            Block(width, width), Block(width, width), MaxPool2d((2, 1), (2, 1)));
        rnn = LSTM(width, hidden, numLayers: 2, bidirectional: true, batchFirst: true);
        fc = Linear(2 * hidden, classes);
        RegisterComponents();
    }

    /// <summary>Image columns per CTC step.</summary>
    public const int Stride = 4;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var columns = cnn.call(x).mean([2]).permute(0, 2, 1); // [N, W/4, width]
        var (sequence, _, _) = rnn.call(columns, null); // the final states go with the scope
        return fc.call(sequence).MoveToOuterDisposeScope();
    }

    private static Sequential Block(int input, int output) =>
        Sequential(Conv2d(input, output, 3, padding: 1, bias: false), BatchNorm.BatchNorm2d(output), ReLU(inplace: true));
}
