// Reads and edits the GNU symbol-version tables of an ELF64 little-endian shared object.
// Used by the build (build/Podium.Native.targets) to mark one version need weak, and compiled into Podium for the same fix
// at run time (src/Podium/Platform/TorchNative.cs).
// No dependencies beyond the BCL on purpose: MSBuild compiles this file as an inline task.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Podium.Build
{
#if PODIUM_NO_MSBUILD
    internal static class ElfVersionNeeds // inside Podium.dll: its runtime fix (Platform/TorchNative.cs) uses it
#else
    public static class ElfVersionNeeds
#endif
    {
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        public const ushort VerFlagWeak = 0x2;

        /// <summary>Where distributions keep the system libstdc++, most common first.</summary>
        public static readonly string[] SystemLibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };

        /// <summary>One required version (an Elf64_Vernaux entry) and where its flags live in the file.</summary>
        public sealed class Need
        {
            public string Library = "";
            public string Version = "";
            public ushort Flags;
            public long FlagsOffset;
            public bool IsWeak { get { return (Flags & VerFlagWeak) != 0; } }
        }

        public static List<Need> ReadNeeds(byte[] elf)
        {
            var needs = new List<Need>();
            foreach (var s in Sections(elf))
            {
                if (s.Type != ShtGnuVerneed) continue;
                var strtab = SectionAt(elf, s.Link);
                long entry = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    ushort count = U16(elf, entry + 2);
                    string file = CString(elf, strtab.Offset + U32(elf, entry + 4));
                    long aux = entry + U32(elf, entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        needs.Add(new Need
                        {
                            Library = file,
                            Flags = U16(elf, aux + 4),
                            FlagsOffset = aux + 4,
                            Version = CString(elf, strtab.Offset + U32(elf, aux + 8)),
                        });
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(elf, entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return needs;
        }

        /// <summary>Version names a library defines (its Elf64_Verdef entries), e.g. GLIBCXX_3.4.30.</summary>
        public static HashSet<string> ReadDefinitions(byte[] elf)
        {
            var defs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in Sections(elf))
            {
                if (s.Type != ShtGnuVerdef) continue;
                var strtab = SectionAt(elf, s.Link);
                long entry = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    ushort count = U16(elf, entry + 6);
                    long aux = entry + U32(elf, entry + 12);
                    if (count > 0) defs.Add(CString(elf, strtab.Offset + U32(elf, aux)));
                    uint next = U32(elf, entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return defs;
        }

        /// <summary>Sets the weak flag on every need of <paramref name="version"/>; returns how many changed.</summary>
        public static int MarkWeak(byte[] elf, string version)
        {
            int changed = 0;
            foreach (var need in ReadNeeds(elf))
            {
                if (need.Version != version || need.IsWeak) continue;
                ushort flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)flags;
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed++;
            }
            return changed;
        }

        /// <summary>
        /// Makes <paramref name="libraryPath"/> loadable against <paramref name="systemLibraryPath"/> when the
        /// system library lacks <paramref name="version"/>: the need is marked weak in place (the file is a
        /// build-output copy, never the package cache). Returns a one-line account of what was done.
        /// </summary>
        public static string WeakenIfMissing(string libraryPath, string systemLibraryPath, string version)
        {
            var defined = ReadDefinitions(File.ReadAllBytes(systemLibraryPath));
            if (defined.Contains(version))
                return systemLibraryPath + " defines " + version + "; " + Path.GetFileName(libraryPath) + " left as it is";
            var bytes = File.ReadAllBytes(libraryPath);
            int changed = MarkWeak(bytes, version);
            if (changed == 0)
                return Path.GetFileName(libraryPath) + " has no strong need of " + version + "; nothing to do";
            string temp = libraryPath + ".tmp";
            File.WriteAllBytes(temp, bytes);
            // A fresh inode rather than an overwrite: a running process may have the old file mapped.
            File.Delete(libraryPath);
            File.Move(temp, libraryPath);
            return "marked " + version + " weak in " + libraryPath + " (" + systemLibraryPath + " lacks it)";
        }

        private struct Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; }

        private static IEnumerable<Section> Sections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF is supported");
            ushort count = U16(elf, 0x3C);
            for (uint i = 0; i < count; i++) yield return SectionAt(elf, i);
        }

        private static Section SectionAt(byte[] elf, uint index)
        {
            long table = (long)U64(elf, 0x28);
            ushort size = U16(elf, 0x3A);
            long h = table + index * (long)size;
            return new Section
            {
                Type = U32(elf, h + 4),
                Offset = (long)U64(elf, h + 24),
                Size = (long)U64(elf, h + 32),
                Link = U32(elf, h + 40),
                Info = U32(elf, h + 44),
            };
        }

        private static ushort U16(byte[] b, long o) { return (ushort)(b[o] | b[o + 1] << 8); }
        private static uint U32(byte[] b, long o) { return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        private static ulong U64(byte[] b, long o) { return U32(b, o) | (ulong)U32(b, o + 4) << 32; }

        private static string CString(byte[] b, long o)
        {
            long end = o;
            while (b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}

#if !PODIUM_NO_MSBUILD
namespace Podium.Build
{
    /// <summary>MSBuild face of <see cref="ElfVersionNeeds.WeakenIfMissing"/> for every copy of a library in a folder.</summary>
    public class WeakenMissingVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string Directory { get; set; } = "";
        [Microsoft.Build.Framework.Required] public string LibraryName { get; set; } = "";
        [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";
        public string SystemLibrary { get; set; } = "";

        public override bool Execute()
        {
            if (!System.IO.Directory.Exists(Directory)) return true;
            string system = SystemLibrary;
            if (string.IsNullOrEmpty(system))
            {
                foreach (var candidate in ElfVersionNeeds.SystemLibStdCxxCandidates)
                    if (File.Exists(candidate)) { system = candidate; break; }
            }
            if (string.IsNullOrEmpty(system))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "no system libstdc++ found; libraries left as they are");
                return true;
            }
            foreach (var lib in System.IO.Directory.GetFiles(Directory, LibraryName, SearchOption.AllDirectories))
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, ElfVersionNeeds.WeakenIfMissing(lib, system, Version));
            return true;
        }
    }
}
#endif
