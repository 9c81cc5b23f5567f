namespace Podium.Tests;
public class TmpGen { [Fact] public void Gen() => Podium.Quickstart.SyntheticDocuments.Generate("/work/main/dbg/docs", 64, 256, 256, 3); }
