import HTTPServer

/// The HTTP/1.1 request parser's properties, beyond "does not crash":
/// - framing does not depend on how the bytes arrive: the requests and the error are the same
///   whether the input is appended at once or in two pieces split where the first byte says;
/// - every request the parser lets through has a safe path: absolute, with no `.` or `..`
///   segment and no NUL, so no route or static file lookup can be walked outside its root
///   (or `*`, for `OPTIONS *` only).
func checkHTTPRequestParser(_ bytes: [UInt8]) throws {
    let whole = try outcome(of: [bytes[...]])
    if bytes.count > 1 {
        let split = 1 + Int(bytes[0]) % (bytes.count - 1)
        let pieces = try outcome(of: [bytes[..<split], bytes[split...]])
        try require(whole == pieces, "split at \(split) changed the outcome:\n\(whole)\n---\n\(pieces)")
    }
}

/// Small limits, so short inputs reach the limit checks too.
private let limits = HTTPRequestParser.Limits(
    maxRequestLineBytes: 200, maxHeaderBytes: 400, maxHeaderCount: 8, maxBodyBytes: 300)

/// The requests parsed and the error that ended parsing, if any, as text.
private func outcome(of pieces: [ArraySlice<UInt8>]) throws -> [String] {
    var parser = HTTPRequestParser(limits: limits)
    var seen: [String] = []
    for piece in pieces {
        parser.append(piece)
        events: while seen.count < 64 {
            switch parser.next() {
            case .needMoreData:
                break events
            case .continueExpected:
                continue
            case .request(let request):
                try check(request)
                seen.append(describe(request))
            case .failure(let error):
                seen.append("failure \(error)")
                return seen
            }
        }
    }
    return seen
}

private func check(_ request: HTTPRequest) throws {
    // The asterisk form names the server itself, for OPTIONS only (RFC 9112 §3.2.4).
    if request.path == "*" {
        try require(request.method == .options, "* as the path of \(request.method)")
        return
    }
    try require(request.path.hasPrefix("/"), "relative path \(request.path)")
    try require(!request.path.utf8.contains(0), "NUL in path")
    for segment in request.path.split(separator: "/", omittingEmptySubsequences: false) {
        try require(segment != "." && segment != "..", "dot segment left in \(request.path)")
    }
    if let length = request.headers[.contentLength] {
        try require(Int(length) == request.body.count, "Content-Length \(length) but body of \(request.body.count)")
    }
}

private func describe(_ request: HTTPRequest) -> String {
    let headers = request.headers.map { "\($0.name.rawValue): \($0.value)" }.joined(separator: "\n")
    return "\(request.method) \(request.target) \(request.path) \(request.query ?? "-") \(request.version) "
        + "keepAlive=\(request.keepAlive)\n\(headers)\nbody=\(request.body)"
}
