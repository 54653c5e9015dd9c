import Dispatch
import Synchronization

/// Work spread over the machine's cores: a snapshot's documents are rendered and compressed
/// independently of each other, so a write on a two-core server waits for about half of it.
enum Parallel {
    /// `transform` of each of `items`, in order, computed concurrently (GCD's
    /// `concurrentPerform`, one worker per core). List the costliest first: each worker takes
    /// the next item as it frees up.
    static func map<Item: Sendable, Result: Sendable>(_ items: [Item], _ transform: (Item) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
        withoutActuallyEscaping(transform) { transform in
            // `concurrentPerform` takes a `@Sendable` closure; `transform` is called only
            // within this scope, on the pool's threads, and reads only its `Sendable` item.
            nonisolated(unsafe) let work = transform
            DispatchQueue.concurrentPerform(iterations: items.count) { index in
                let result = work(items[index])
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
