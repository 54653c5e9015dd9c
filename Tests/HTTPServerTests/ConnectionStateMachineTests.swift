import Testing
@testable import HTTPServer

/// The connection state machine driven by hand: events in with the time they happened,
/// actions out. No sockets and no clock, so every deadline is met to the nanosecond.
@Suite struct ConnectionStateMachineTests {
    static let second = nanosecondsPerSecond
    static let start: UInt64 = 100 * second

    static func make(now: UInt64 = start, maxLingerBytes: Int = 1_000) -> ConnectionStateMachine {
        // Keep-alive 15 s, head 10 s, body 30 s, write 20 s, linger 2 s.
        var configuration = TimeoutTests.configuration()
        configuration.maxLingerBytes = maxLingerBytes
        return ConnectionStateMachine(configuration, now: now)
    }

    @Test func freshConnectionIsIdleUntilTheKeepAliveDeadline() {
        var machine = Self.make()
        #expect(machine.phase == .idle)
        #expect(machine.deadline == Self.start + 15 * Self.second)
        #expect(machine.deadlineCheck(now: Self.start + 15 * Self.second - 1) == .none)
        #expect(machine.deadlineCheck(now: Self.start + 15 * Self.second) == .close)
    }

    /// Slowloris: the head deadline counts from the first byte, however steadily the rest
    /// drips in; at the deadline the answer is a 408, then a half-close and a linger.
    @Test func slowHeadIsAnswered408ThenLingers() {
        var machine = Self.make()
        let firstByte = Self.start + Self.second
        machine.settle(pendingOutput: false, request: .readingHead, now: firstByte)
        for tick in 1...9 {
            machine.settle(pendingOutput: false, request: .readingHead, now: firstByte + UInt64(tick) * Self.second)
            #expect(machine.deadlineCheck(now: firstByte + UInt64(tick) * Self.second) == .none)
        }
        #expect(machine.deadlineCheck(now: firstByte + 10 * Self.second) == .answerRequestTimeout)
        #expect(!machine.canAnswerMore)

        // The 408 is queued, then written in full while the client is still sending.
        let timedOut = firstByte + 10 * Self.second
        machine.settle(pendingOutput: true, request: .readingHead, now: timedOut)
        #expect(machine.phase == .writing)
        #expect(machine.outputWritten(unreadInput: false, now: timedOut) == .halfCloseAndLinger)
        machine.settle(pendingOutput: false, request: .readingHead, now: timedOut)
        #expect(machine.phase == .lingering)
        #expect(machine.wantsInput(pendingOutputBytes: 0, maxPendingOutputBytes: 1 << 20))
        #expect(machine.bytesRead(500) == .none)
        #expect(machine.deadlineCheck(now: timedOut + 2 * Self.second - 1) == .none)
        #expect(machine.deadlineCheck(now: timedOut + 2 * Self.second) == .close)
    }

    @Test func slowBodyIsAnswered408AtTheBodyDeadline() {
        var machine = Self.make()
        machine.settle(pendingOutput: false, request: .readingHead, now: Self.start)
        let headDone = Self.start + 9 * Self.second
        machine.settle(pendingOutput: false, request: .readingBody, now: headDone)
        #expect(machine.phase == .readingBody)
        // The head's deadline no longer applies; the body's counts from the end of the head.
        #expect(machine.deadlineCheck(now: Self.start + 10 * Self.second) == .none)
        #expect(machine.deadlineCheck(now: headDone + 30 * Self.second - 1) == .none)
        #expect(machine.deadlineCheck(now: headDone + 30 * Self.second) == .answerRequestTimeout)
    }

    @Test func lingeringEndsWhenThePeerCloses() {
        var machine = Self.make()
        machine.lastResponseQueued(linger: true)
        #expect(machine.outputWritten(unreadInput: false, now: Self.start) == .halfCloseAndLinger)
        #expect(machine.peerClosed() == .close)
    }

    @Test func lingeringEndsAfterMaxLingerBytes() {
        var machine = Self.make(maxLingerBytes: 1_000)
        machine.lastResponseQueued(linger: true)
        #expect(machine.outputWritten(unreadInput: false, now: Self.start) == .halfCloseAndLinger)
        #expect(machine.bytesRead(600) == .none)
        #expect(machine.bytesRead(400) == .none)
        #expect(machine.bytesRead(1) == .close)
    }

    /// `Connection: close` without more input closes at once; with a pipelined request
    /// already buffered it lingers, or closing would reset the connection.
    @Test func lastResponseLingersOnlyWhenInputIsPending() {
        var quiet = Self.make()
        quiet.lastResponseQueued(linger: false)
        #expect(quiet.outputWritten(unreadInput: false, now: Self.start) == .close)

        var pipelined = Self.make()
        pipelined.lastResponseQueued(linger: false)
        #expect(pipelined.outputWritten(unreadInput: true, now: Self.start) == .halfCloseAndLinger)
    }

    /// After the peer's end of input the kernel holds nothing unread: an error closes at once.
    @Test func errorAfterThePeerClosedClosesAtOnce() {
        var machine = Self.make()
        #expect(machine.peerClosed() == .none)
        machine.lastResponseQueued(linger: true)
        #expect(machine.outputWritten(unreadInput: true, now: Self.start) == .close)
    }

    @Test func peerCloseWaitsForTheBlockingResponse() {
        var machine = Self.make()
        machine.responderStarted()
        #expect(machine.peerClosed() == .none)
        #expect(machine.outputWritten(unreadInput: false, now: Self.start) == .none)
        #expect(!machine.wantsInput(pendingOutputBytes: 0, maxPendingOutputBytes: 1 << 20))
        machine.responderFinished()
        #expect(machine.outputWritten(unreadInput: false, now: Self.start) == .close)
    }

    @Test func awaitingTheResponderNeverTimesOut() {
        var machine = Self.make()
        machine.responderStarted()
        machine.settle(pendingOutput: false, request: .betweenRequests, now: Self.start)
        #expect(machine.phase == .awaitingResponder)
        #expect(machine.deadline == nil)
        #expect(machine.deadlineCheck(now: Self.start + 3_600 * Self.second) == .none)
    }

    /// The write deadline counts from the last progress; bytes the client sends are not
    /// progress.
    @Test func writeDeadlineRestartsOnlyWithProgress() {
        var machine = Self.make()
        machine.settle(pendingOutput: true, request: .betweenRequests, now: Self.start)
        #expect(machine.phase == .writing)
        machine.wroteOutput(now: Self.start + 15 * Self.second)
        #expect(machine.deadlineCheck(now: Self.start + 34 * Self.second) == .none)
        #expect(machine.bytesRead(2) == .none)
        machine.settle(pendingOutput: true, request: .readingHead, now: Self.start + 34 * Self.second)
        #expect(machine.deadlineCheck(now: Self.start + 35 * Self.second) == .close)
    }

    /// Between requests the keep-alive deadline restarts with each response written.
    @Test func keepAliveDeadlineRestartsAfterEachResponse() {
        var machine = Self.make()
        var now = Self.start
        for _ in 0..<3 {
            now += 14 * Self.second
            machine.settle(pendingOutput: true, request: .betweenRequests, now: now)
            #expect(machine.outputWritten(unreadInput: false, now: now) == .none)
            machine.settle(pendingOutput: false, request: .betweenRequests, now: now)
            #expect(machine.deadlineCheck(now: now) == .none)
        }
        #expect(machine.deadlineCheck(now: now + 15 * Self.second) == .close)
    }

    /// A request read and answered within one event leaves the connection idle throughout;
    /// the response still restarts the keep-alive deadline.
    @Test func responseWrittenAtOnceRestartsTheKeepAliveDeadline() {
        var machine = Self.make()
        let answered = Self.start + 14 * Self.second
        machine.wroteOutput(now: answered)
        #expect(machine.outputWritten(unreadInput: false, now: answered) == .none)
        machine.settle(pendingOutput: false, request: .betweenRequests, now: answered)
        #expect(machine.phase == .idle)
        #expect(machine.deadline == answered + 15 * Self.second)
    }

    @Test func backPressureStopsReading() {
        let machine = Self.make()
        #expect(machine.wantsInput(pendingOutputBytes: 1_023, maxPendingOutputBytes: 1_024))
        #expect(!machine.wantsInput(pendingOutputBytes: 1_024, maxPendingOutputBytes: 1_024))
    }
}
