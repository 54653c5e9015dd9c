/// Warta's release version, reported by `/healthz` and `warta --version`.
public enum Version {
    public static let current = "0.1.0"
}
