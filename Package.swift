// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Warta",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "warta", targets: ["warta"]),
    ],
    dependencies: [
        // The CLI (serve, migrate, token, ...) would otherwise need a hand-written option parser.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 of API tokens, HMAC-SHA256 of webhook bodies; Foundation on Linux has neither.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // The logging API libraries and operators expect; Warta supplies the logfmt handler.
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The system libsqlite3, linked through a module map.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system zlib, for gzip variants compressed once per snapshot.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system libdeflate, which makes the gzip variants: several times faster than
        // zlib at the same ratio, and a write rebuilds every page it changes.
        .systemLibrary(
            name: "CDeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // The system libbrotlienc and libbrotlidec, for Brotli variants made beside the gzip ones.
        .systemLibrary(
            name: "CBrotli",
            providers: [.apt(["libbrotli-dev"])]
        ),
        // The system libcurl, for what Warta sends: webhook deliveries pinned to checked
        // addresses (CURLOPT_RESOLVE, CURLOPT_OPENSOCKETFUNCTION), later mail through SMTP.
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Linux kernel interfaces Glibc does not export to Swift (epoll, eventfd).
        .systemLibrary(name: "CLinux"),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "HTTPServer", dependencies: ["CLinux", "CZlib", "CDeflate", "CBrotli"]),
        .target(
            name: "StatusCore",
            dependencies: ["SQLite", .product(name: "Crypto", package: "swift-crypto")],
            plugins: ["EmbedFiles"]
        ),
        .target(
            name: "Outbound",
            dependencies: ["StatusCore", "CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "StatusWeb",
            // Crypto: the SHA-256 of every file in a static copy's manifest.
            dependencies: ["StatusCore", "HTTPServer", "Outbound", "SQLite", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            plugins: ["EmbedFiles"]
        ),
        .executableTarget(
            name: "warta",
            dependencies: [
                "StatusWeb",
                "Outbound",
                "SQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Build tooling: `migrations/` and `Public/` are compiled into the binary, so it runs
        // from any directory and when copied alone to another machine.
        .executableTarget(name: "embed-files"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"]),

        // What several test targets share: the raw-socket client, temporary folders, instants.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "StatusCoreTests", dependencies: ["StatusCore", "SQLite", "TestSupport"]),
        .testTarget(name: "StatusWebTests", dependencies: ["StatusWeb", "Outbound", "SQLite", "TestSupport"], exclude: ["Samples"]),
        // StatusWeb: the sender with the payloads it really sends (check events).
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "StatusCore", "StatusWeb", "HTTPServer", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["warta", "StatusWeb", "SQLite", "TestSupport"]),

        // The properties the fuzz targets check (Fuzz/Checks/), built without libFuzzer so
        // `make test` replays the seed corpora and every regression input through them.
        .target(name: "FuzzChecks", dependencies: ["HTTPServer", "StatusWeb"], path: "Fuzz/Checks"),
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzChecks"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Fuzz/), only when WARTA_FUZZ names the toolchain's libFuzzer without
// `main` (libclang_rt.fuzzer_no_main), as `make fuzz` does. The code they reach is built with
// coverage and AddressSanitizer; the build tools are not (SwiftPM's `--sanitize=fuzzer` would
// link libFuzzer's `main` into them too). See Fuzz/README.md.
if let libFuzzer = Context.environment["WARTA_FUZZ"] {
    let sanitizers: [String] = ["-sanitize=fuzzer,address"]
    for target in package.targets where ["HTTPServer", "SQLite", "StatusCore", "StatusWeb", "FuzzChecks"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitizers + ["-enable-testing"])]
    }
    func fuzzTarget(_ name: String, path: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(
            name: name, dependencies: dependencies, path: path,
            swiftSettings: [.unsafeFlags(sanitizers)],
            linkerSettings: [.unsafeFlags(["-sanitize=address", "-Xlinker", libFuzzer, "-lstdc++"])])
    }
    package.targets += [
        .target(name: "FuzzSupport", path: "Fuzz/Shared", swiftSettings: [.unsafeFlags(sanitizers)]),
        fuzzTarget("fuzz-http-request-parser", path: "Fuzz/HTTPRequestParser", ["FuzzChecks", "FuzzSupport"]),
        fuzzTarget("fuzz-form-body", path: "Fuzz/FormBody", ["FuzzChecks", "FuzzSupport"]),
        fuzzTarget("fuzz-json-body", path: "Fuzz/JSONBody", ["FuzzChecks", "FuzzSupport"]),
    ]
}
