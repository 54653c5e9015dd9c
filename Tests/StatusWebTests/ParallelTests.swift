import Synchronization
import Testing
@testable import StatusWeb

/// `Parallel.map` keeps the order of its items whatever order the workers finish in, runs
/// each item exactly once, and may be nested (a snapshot's pages render their languages
/// inside the snapshot's own spread).
@Suite struct ParallelTests {
    @Test func resultsKeepTheItemsOrderAndEachItemRunsOnce() {
        let calls = Mutex(0)
        let items = Array(0..<500)
        let results = Parallel.map(items) { item -> String in
            calls.withLock { $0 += 1 }
            // Uneven work, so workers finish out of order.
            var sum = 0
            for step in 0..<((item % 7) * 2_000) { sum &+= step }
            return "\(item)-\(sum % 2)"
        }
        #expect(calls.withLock { $0 } == 500)
        #expect(results.map { Int($0.split(separator: "-")[0])! } == items)
    }

    @Test func nestedSpreadsComplete() {
        let results = Parallel.map([3, 1, 2]) { count in Parallel.map(Array(0..<count)) { $0 * 10 }.reduce(0, +) }
        #expect(results == [30, 0, 10])
    }

    @Test func emptyAndSingleLists() {
        #expect(Parallel.map([Int]()) { $0 }.isEmpty)
        #expect(Parallel.map([7]) { $0 + 1 } == [8])
    }
}
