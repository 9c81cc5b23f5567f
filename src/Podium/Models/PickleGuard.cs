using System.IO.Compression;
using System.Text;

namespace Podium.Models;

/// <summary>
/// Reads a pickle's opcodes without running it and lists every global it would import. A PyTorch
/// checkpoint needs only tensor rebuilding (torch._utils._rebuild_tensor_v2, storages, OrderedDict);
/// anything else (os.system, builtins.eval, ...) is how a malicious .pth runs code when Python loads
/// it. Podium refuses such files before any unpickling happens.
/// </summary>
public static class PickleGuard
{
    public static readonly HashSet<string> Allowed =
    [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage",
        "torch.BFloat16Storage", "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
        "torch.ByteStorage", "torch.BoolStorage",
    ];

    private const long MaxPickle = 256L << 20;

    /// <summary>Throws a <see cref="PodiumException"/> naming the first global that is not tensor rebuilding, or the reason the file is not
    /// a PyTorch zip checkpoint.</summary>
    public static void Check(string path)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException)
        {
            throw new PodiumException($"{path}: not a PyTorch zip checkpoint (legacy pickles are refused: " +
            $"re-save it with a current torch.save)");
        }
        using (zip)
        {
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw new PodiumException($"{path}: no data.pkl inside; not a PyTorch checkpoint");
            // A pickle lists tensors, not their data: a few MB for the largest models. A bigger one is a zip bomb, not a checkpoint.
            if (entry.Length > MaxPickle)
                throw new PodiumException($"{path}: its {entry.FullName} unpacks to {entry.Length} bytes, more than a checkpoint's " +
                    $"pickle holds ({MaxPickle >> 20} MB); not read");
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            for (int n; (n = stream.Read(buffer)) > 0;) // bounded whatever the entry's header claims
            {
                memory.Write(buffer, 0, n);
                if (memory.Length > MaxPickle)
                    throw new PodiumException($"{path}: its {entry.FullName} unpacks past {MaxPickle >> 20} MB; not read");
            }
            List<string> globals;
            try { globals = Globals(memory.ToArray()); }
            catch (Exception e) when (e is PodiumException or IndexOutOfRangeException or ArgumentException or OverflowException)
            {
                throw new PodiumException($"{path}: unreadable pickle ({e.Message})");
            }
            foreach (var global in globals)
                if (!Allowed.Contains(global))
                    throw new PodiumException($"{path}: refused: its pickle imports '{global}', which is not tensor rebuilding (a " +
                        $"checkpoint that can run code); nothing was loaded or run");
        }
    }

    /// <summary>Every module.name a pickle imports (GLOBAL, INST, STACK_GLOBAL), in order.</summary>
    public static List<string> Globals(byte[] pickle)
    {
        var found = new List<string>();
        var strings = new List<string?>(); // recent pushes, for STACK_GLOBAL
        var memo = new Dictionary<long, string?>();
        int i = 0;
        string Line()
        {
            int end = Array.IndexOf(pickle, (byte)'\n', i);
            if (end < 0) throw new PodiumException("truncated pickle");
            var s = Encoding.ASCII.GetString(pickle, i, end - i);
            i = end + 1;
            return s;
        }
        long Int(int size)
        {
            long v = 0;
            for (int k = 0; k < size; k++) v |= (long)pickle[i + k] << (8 * k);
            i += size;
            return v;
        }
        void Skip(long n) => i = checked((int)(i + n));
        void Push(string? s) => strings.Add(s);
        string Text(long n) { var s = Encoding.UTF8.GetString(pickle, i, (int)n); i += (int)n; return s; }

        while (i < pickle.Length)
        {
            byte op = pickle[i++];
            switch (op)
            {
                case (byte)'.': return found; // STOP
                case (byte)'c': { var m = Line(); var n = Line(); found.Add($"{m}.{n}"); Push(null); break; } // GLOBAL
                case (byte)'i': { var m = Line(); var n = Line(); found.Add($"{m}.{n}"); Push(null); break; } // INST
                case 0x93: // STACK_GLOBAL
                    {
                        var n = strings.Count > 0 ? strings[^1] : null;
                        var m = strings.Count > 1 ? strings[^2] : null;
                        found.Add($"{m ?? "?"}.{n ?? "?"}");
                        Push(null);
                        break;
                    }
                case 0x8c: Push(Text(Int(1))); break; // SHORT_BINUNICODE
                case (byte)'X': Push(Text(Int(4))); break; // BINUNICODE
                case 0x8d: Push(Text(Int(8))); break; // BINUNICODE8
                case (byte)'V': Push(Line()); break; // UNICODE
                case (byte)'S': Push(Line().Trim('\'', '"')); break; // STRING
                case (byte)'U': Push(Encoding.ASCII.GetString(pickle, i + 1, pickle[i])); Skip(1 + pickle[i]); break; // SHORT_BINSTRING
                case (byte)'T': { var n = Int(4); Push(Encoding.ASCII.GetString(pickle, i, (int)n)); Skip(n); break; } // BINSTRING
                case (byte)'p': memo[long.Parse(Line())] = strings.Count > 0 ? strings[^1] : null; break; // PUT
                case (byte)'q': memo[Int(1)] = strings.Count > 0 ? strings[^1] : null; break; // BINPUT
                case (byte)'r': memo[Int(4)] = strings.Count > 0 ? strings[^1] : null; break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = strings.Count > 0 ? strings[^1] : null; break; // MEMOIZE
                case (byte)'g': Push(memo.GetValueOrDefault(long.Parse(Line()))); break; // GET
                case (byte)'h': Push(memo.GetValueOrDefault(Int(1))); break; // BINGET
                case (byte)'j': Push(memo.GetValueOrDefault(Int(4))); break; // LONG_BINGET
                case (byte)'F' or (byte)'I' or (byte)'L' or (byte)'P': Line(); Push(null); break; // FLOAT INT LONG PERSID
                case (byte)'J': Skip(4); Push(null); break;
                case (byte)'K': Skip(1); Push(null); break;
                case (byte)'M': Skip(2); Push(null); break;
                case (byte)'G': Skip(8); Push(null); break;
                case 0x80: Skip(1); break; // PROTO
                case 0x95: Skip(8); break; // FRAME
                case 0x82: Skip(1); break; // EXT1
                case 0x83: Skip(2); break; // EXT2
                case 0x84: Skip(4); break; // EXT4
                case 0x8a: Skip(Int(1)); Push(null); break; // LONG1
                case 0x8b: Skip(Int(4)); Push(null); break; // LONG4
                case (byte)'B': Skip(Int(4)); Push(null); break; // BINBYTES
                case (byte)'C': Skip(Int(1)); Push(null); break; // SHORT_BINBYTES
                case 0x8e or 0x96: Skip(Int(8)); Push(null); break; // BINBYTES8 BYTEARRAY8
                case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'Q' or (byte)'R' or (byte)'a' or (byte)'b'
                    or (byte)'d' or (byte)'}' or (byte)'e' or (byte)'l' or (byte)']' or (byte)'o' or (byte)'s' or (byte)'t' or (byte)')'
                    or (byte)'u' or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8f or 0x90 or 0x91 or 0x92 or 0x97 or 0x98:
                    Push(null);
                    break;
                default: throw new PodiumException($"unknown pickle opcode 0x{op:x2} at byte {i - 1}");
            }
        }
        throw new PodiumException("pickle without STOP");
    }
}
