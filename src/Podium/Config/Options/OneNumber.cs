namespace Podium.Config;

/// <summary>What one number written for an <see cref="Interval"/> means.</summary>
public enum OneNumber
{
    /// <summary>v means [v, v].</summary>
    Same,

    /// <summary>v means [-|v|, |v|].</summary>
    Symmetric,

    /// <summary>v means [From, v].</summary>
    UpTo,
}
