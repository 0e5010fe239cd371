import Foundation
import Hummingbird
import HummingbirdWSClient
import KefuModel
import Logging
import Synchronization

/// A real WebSocket client that records every text frame it receives as JSON.
final class SocketProbe: Sendable {
    private enum Command: Sendable {
        case send(String)
        case close
    }

    /// The frames received, shared with the connection task.
    final class FrameLog: Sendable {
        let frames = Mutex<[JSONValue]>([])
        let ended = Mutex(false)
    }

    private let log = FrameLog()
    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, any Error>

    init(url: String, bearer: String? = nil) {
        let (stream, continuation) = AsyncStream<Command>.makeStream()
        commands = continuation
        var headers = HTTPFields()
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
        let log = log
        task = Task {
          do {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "probe")) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message,
                                  let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { continue }
                            log.frames.withLock { $0.append(value) }
                        }
                    }
                    group.addTask {
                        for await command in stream {
                            switch command {
                            case .send(let text): try await outbound.write(.text(text))
                            case .close:
                                try await outbound.close(.normalClosure, reason: nil)
                                return
                            }
                        }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
            log.ended.withLock { $0 = true }
          } catch {
            log.frames.withLock { $0.append(.object(["type": "client_error", "message": .string("\(error)")])) }
            log.ended.withLock { $0 = true }
            throw error
          }
        }
    }

    /// Sends a JSON text frame.
    func send(_ value: JSONValue) {
        commands.yield(.send(String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)))
    }

    /// Closes the socket.
    func close() async {
        commands.yield(.close)
        commands.finish()
        _ = try? await task.value
    }

    /// Whether the connection has ended (closed by either side).
    var isClosed: Bool { log.ended.withLock { $0 } }

    /// Every frame so far.
    var received: [JSONValue] { log.frames.withLock { $0 } }

    /// The `seq`s of event frames of `session`, in arrival order.
    func seqs(_ session: String) -> [Int] {
        received.filter { $0["type"]?.stringValue == "event" && $0["session_id"]?.stringValue == session }
            .compactMap { $0["seq"]?.intValue }
    }

    /// Waits until `condition` holds for the frames, or `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(10), _ condition: ([JSONValue]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(received) { return true }
            try? await Task.sleep(for: .milliseconds(30))
        }
        return condition(received)
    }
}
