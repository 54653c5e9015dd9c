import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Outbound
import StatusCore
import TestSupport
import Testing

/// `--mirror-hook` with real commands (`/bin/sh`, rclone) and the manual clock: when it runs,
/// how runs merge, how a failure waits, and what a command that hangs gets.
@Suite struct MirrorHookTests {
    /// A hook whose runs leave a line each in `runs.log` of a temporary folder.
    struct Fixture {
        let folder: TemporaryFolder
        let clock = ManualClock(instant("2026-06-20T04:15:00Z"))
        let hook: MirrorHook

        /// `command(folder)` runs after the line is written.
        init(_ command: (TemporaryFolder) -> String) throws {
            let folder = try TemporaryFolder("hook")
            self.folder = folder
            try FileManager.default.createDirectory(atPath: folder.file("site"), withIntermediateDirectories: true)
            hook = MirrorHook(.init(command: "echo run >> '\(folder.file("runs.log"))'; " + command(folder),
                                    directory: folder.file("site")), clock: clock)
        }

        var runs: Int {
            (try? String(contentsOfFile: folder.file("runs.log"), encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
    }

    @Test func runsOnlyAfterAWriteAndOncePerWrite() throws {
        let fixture = try Fixture { _ in "true" }
        defer { fixture.folder.remove() }
        #expect(fixture.hook.runDue() == OutboxThread.longestWait)
        #expect(fixture.runs == 0)
        fixture.hook.requested()
        fixture.hook.requested()
        fixture.hook.requested()
        #expect(fixture.hook.runDue() == OutboxThread.longestWait)
        #expect(fixture.runs == 1)
        #expect(fixture.hook.runDue() == OutboxThread.longestWait)
        #expect(fixture.runs == 1)
        #expect(fixture.hook.currentCounts == MirrorHook.Counts(succeeded: 1, failed: 0,
                                                                 lastSuccess: fixture.clock.now(), failingFor: 0))
    }

    /// rclone (Debian) copying the folder named by WARTA_MIRROR_DIR to a second folder, as the
    /// README's example does with a remote.
    @Test func rcloneCopiesTheMirrorElsewhere() throws {
        let folder = try TemporaryFolder("hook")
        defer { folder.remove() }
        let site = folder.file("site"), copy = folder.file("copy")
        try FileManager.default.createDirectory(atPath: site + "/api/v2", withIntermediateDirectories: true)
        try Data("<p>Autogates offline</p>".utf8).write(to: URL(fileURLWithPath: site + "/index.html"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: site + "/api/v2/status.json"))
        let hook = MirrorHook(.init(command: "rclone sync --config /dev/null \"$WARTA_MIRROR_DIR\" '\(copy)'", directory: site),
                              clock: ManualClock(instant("2026-06-20T04:15:00Z")))
        hook.requested()
        hook.runDue()
        #expect(hook.currentCounts.succeeded == 1, "\(hook.currentCounts)")
        #expect(FileManager.default.contents(atPath: copy + "/index.html") == Data("<p>Autogates offline</p>".utf8))
        #expect(FileManager.default.contents(atPath: copy + "/api/v2/status.json") == Data("{}".utf8))

        // A file gone from the mirror goes from the copy at the next run.
        try FileManager.default.removeItem(atPath: site + "/api/v2/status.json")
        hook.requested()
        hook.runDue()
        #expect(!FileManager.default.fileExists(atPath: copy + "/api/v2/status.json"))
        #expect(hook.currentCounts.succeeded == 2)
    }

    /// A failing command is retried 5 s later, then 10, 20: the manual clock decides, and writes
    /// in between neither run it early nor add runs. A success resets the wait.
    @Test func aFailureIsRetriedWithGrowingWaits() throws {
        let fixture = try Fixture { _ in "echo 'remote: 403 Forbidden' >&2; exit 3" }
        defer { fixture.folder.remove() }
        fixture.hook.requested()
        #expect(fixture.hook.runDue() == 5)
        #expect(fixture.runs == 1)
        #expect(fixture.hook.currentCounts.failed == 1)

        fixture.hook.requested()
        fixture.clock.advance(by: 4)
        #expect(fixture.hook.runDue() == 1)
        #expect(fixture.runs == 1)

        fixture.clock.advance(by: 1)
        #expect(fixture.hook.runDue() == 10)
        #expect(fixture.runs == 2)
        fixture.clock.advance(by: 10)
        #expect(fixture.hook.runDue() == 20)
        #expect(fixture.runs == 3)
        #expect(fixture.hook.currentCounts.failingFor == 3)
        #expect(fixture.hook.currentCounts.lastSuccess == nil)
    }

    @Test func aSuccessAfterFailuresResetsTheWait() throws {
        // The command succeeds once the file `healed` exists: the remote "comes back".
        let fixture = try Fixture { "test -e '\($0.file("healed"))'" }
        defer { fixture.folder.remove() }
        let hook = fixture.hook
        hook.requested()
        #expect(hook.runDue() == 5)
        fixture.clock.advance(by: 5)
        #expect(hook.runDue() == 10)
        FileManager.default.createFile(atPath: fixture.folder.file("healed"), contents: Data())
        fixture.clock.advance(by: 10)
        #expect(hook.runDue() == OutboxThread.longestWait)
        #expect(hook.currentCounts == MirrorHook.Counts(succeeded: 1, failed: 2, lastSuccess: fixture.clock.now(), failingFor: 0))
        // Nothing left to do: the folder has not changed since.
        fixture.clock.advance(by: 60)
        #expect(hook.runDue() == OutboxThread.longestWait)
        #expect(fixture.runs == 3)
    }

    /// Writes while a run is under way make exactly one more run, not one each.
    @Test func writesDuringARunMergeIntoOneMoreRun() throws {
        let folder = try TemporaryFolder("hook")
        defer { folder.remove() }
        let gate = folder.file("gate"), started = folder.file("started"), runs = folder.file("runs.log")
        #expect(mkfifo(gate, 0o600) == 0)
        // The first run tells it started, then waits on the gate; later runs pass at once.
        let hook = MirrorHook(.init(command: """
            echo run >> '\(runs)'; if [ ! -e '\(started)' ]; then touch '\(started)'; cat '\(gate)' > /dev/null; fi
            """, directory: folder.path), clock: ManualClock(instant("2026-06-20T04:15:00Z")))
        hook.requested()
        let finished = DispatchSemaphore(value: 0)
        Thread { hook.runDue(); finished.signal() }.start()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: started), Date() < deadline { usleep(10_000) }
        #expect(FileManager.default.fileExists(atPath: started))
        for _ in 0..<5 { hook.requested() }
        // Opening the fifo for writing and closing it ends the first run's `cat`.
        let writer = open(gate, O_WRONLY)
        close(writer)
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(hook.runDue() == OutboxThread.longestWait)
        #expect(hook.runDue() == OutboxThread.longestWait)
        let lines = (try? String(contentsOfFile: runs, encoding: .utf8))?.split(separator: "\n").count
        #expect(lines == 2)
        #expect(hook.currentCounts.succeeded == 2)
    }

    /// A command that hangs, with a child of its own, is killed with its process group at the
    /// deadline, and the failure says so; the child does not outlive it.
    @Test func aCommandThatHangsIsKilledWithItsChildren() throws {
        let folder = try TemporaryFolder("hook")
        defer { folder.remove() }
        let pidFile = folder.file("child.pid")
        let outcome = HookCommand(command: "sleep 300 & echo $! > '\(pidFile)'; echo copying; wait",
                                  directory: folder.path, timeout: 0.5).run()
        #expect(outcome == .timedOut(output: "copying"))
        let child = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // The child was killed with the group; it is gone once its parent (init) reaps it.
        let deadline = Date().addingTimeInterval(5)
        while kill(child, 0) == 0, Date() < deadline { usleep(10_000) }
        #expect(kill(child, 0) == -1 && errno == ESRCH)
    }

    @Test func outcomesSayWhatHappened() throws {
        let folder = try TemporaryFolder("hook")
        defer { folder.remove() }
        func run(_ command: String) -> HookCommand.Outcome {
            HookCommand(command: command, directory: folder.path, timeout: 10).run()
        }
        #expect(run("test \"$WARTA_MIRROR_DIR\" = '\(folder.path)'") == .succeeded)
        #expect(run("echo first; echo 'rclone: 403 Forbidden' >&2; exit 7") == .failed(status: 7, output: "rclone: 403 Forbidden"))
        #expect(run("kill -KILL $$") == .killed(signal: SIGKILL, output: ""))
        #expect(run("exit 3").description == "exited with status 3")
        #expect(run("/nonexistent/tool") == .failed(status: 127, output: "/bin/sh: 1: /nonexistent/tool: not found"))
        // The server's blocked signals are not the command's: a TERM it sends itself ends it.
        #expect(run("kill -TERM $$; sleep 5") == .killed(signal: SIGTERM, output: ""))
    }
}
