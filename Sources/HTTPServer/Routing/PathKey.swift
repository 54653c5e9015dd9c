/// A path as a dictionary key, compared and hashed as its UTF-8 bytes (`sameBytes(as:)`):
/// the router's table of paths without captures is looked up with every request.
struct PathKey: Hashable {
    private var path: String

    init(_ path: String) { self.path = path }

    static func == (lhs: PathKey, rhs: PathKey) -> Bool { lhs.path.sameBytes(as: rhs.path) }

    func hash(into hasher: inout Hasher) {
        var text = path
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
