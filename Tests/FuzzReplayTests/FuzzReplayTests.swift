import Foundation
import FuzzChecks
import Testing

/// Every seed of `Fuzz/corpus/` and every input of `Fuzz/regressions/`, through the same
/// property checks the libFuzzer targets run (without libFuzzer), so an input that once
/// broke a property is checked on every `make test`.
struct FuzzReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The files of `folder` whose names start with `prefix`, sorted.
    static func files(in folder: URL, prefix: String = "") throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix(prefix) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func corpusKeepsEveryProperty(_ target: FuzzTarget) throws {
        let seeds = try Self.files(in: Self.fuzzFolder.appendingPathComponent("corpus/\(target.rawValue)"))
        #expect(seeds.count >= 4, "the seed corpus of \(target.rawValue) is nearly empty")
        for file in seeds {
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try target.check(bytes) }
        }
    }

    @Test func regressionsKeepEveryProperty() throws {
        let regressions = try Self.files(in: Self.fuzzFolder.appendingPathComponent("regressions"))
        #expect(!regressions.isEmpty)
        for file in regressions {
            let name = file.lastPathComponent
            let target = try #require(FuzzTarget.allCases.first { name.hasPrefix($0.rawValue + "-") },
                                      "\(name) names no fuzz target")
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "\(name)") { try target.check(bytes) }
        }
    }
}
