using System.Security.Cryptography;

namespace Logistics.Lockers.Host.Configuration;

/// <summary>Loading and making the PEM keys the link needs.</summary>
public static class Keys
{
    public static ECDsa LoadPrivate(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    public static ECDsa LoadPublic(string path) => LoadPrivate(path);

    /// <summary>Makes a new device key, readable by its owner only, and returns the public half to register with the core.</summary>
    public static string Generate(string privatePath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(privatePath))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(privatePath, options))
        {
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }

        var publicPem = key.ExportSubjectPublicKeyInfoPem();
        File.WriteAllText(privatePath + ".pub", publicPem);
        return publicPem;
    }
}
