#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// A prepared body also held in an anonymous memory file (`memfd_create(2)`), so it can be
/// sent with `sendfile(2)`: the kernel passes the file's pages to the socket instead of
/// copying the bytes from the process on every response, as nginx does with the files it
/// serves. Made once, when a snapshot's large documents are prepared; closed when the last
/// response and snapshot holding it are gone.
public final class FileBody: Sendable {
    /// Bodies at least this large are worth the file: under it, `sendfile`'s extra system
    /// call costs more than the copy it saves.
    public static let threshold = 16 * 1024

    let descriptor: Int32
    let count: Int

    /// `bytes` in a new memory file; nil when the system refuses one (the body is then sent
    /// from memory, as any other).
    public init?(_ bytes: [UInt8]) {
        let descriptor = memfd_create("warta-body", warta_MFD_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                close(descriptor)
                return nil
            }
            written += result
        }
        self.descriptor = descriptor
        count = bytes.count
    }

    deinit { close(descriptor) }
}
