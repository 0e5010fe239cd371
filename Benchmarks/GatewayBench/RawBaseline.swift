import Foundation
import Hummingbird
import HummingbirdWebSocket
import KefuModel
import Logging
import NIOCore
import Synchronization

/// The raw baseline of `kefu-gateway-bench`, run in the same process and the same run: a plain Hummingbird
/// server with no Kefu logic (no authentication, Redis, routing, store or subscriber), driven by the same
/// clients as the gateway. `POST /api/v1/visitor/messages` decodes the visitor's JSON and pushes a
/// `message.accepted` frame of the same shape to agent socket `visitor % agents` before it answers, exactly
/// the frame the bench's agent sockets count; agents connect to `/ws` with `Bearer raw-agent-<i>`.
final class RawBaselineServer: Sendable {
    private let writers = Mutex<[Int: WebSocketOutboundWriter]>([:])
    private let agents: Int
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(agents: Int) {
        self.agents = agents
    }

    /// Starts the server on a free loopback port and returns its base URL once it listens.
    func start() async throws -> String {
        let router = Router()
        router.post("/api/v1/visitor/messages") { request, context -> Response in
            try await self.push(request, context: context)
        }
        let (ports, port) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router,
            server: .http1WebSocketUpgrade { head, _, _ in
                guard let index = Self.index(head.headerFields[.authorization], prefix: "Bearer raw-agent-") else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    self.writers.withLock { $0[index] = outbound }
                    for try await _ in inbound {}
                    _ = self.writers.withLock { $0.removeValue(forKey: index) }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "raw-baseline"),
            onServerRunning: { channel in
                port.yield(channel.localAddress?.port ?? 0)
                port.finish()
            },
            logger: Self.quietLogger)
        task.withLock { $0 = Task { try await application.run() } }
        for await bound in ports where bound > 0 { return "http://127.0.0.1:\(bound)" }
        throw GatewayBenchError.failed("the raw baseline server did not start")
    }

    /// Waits until `count` agent sockets are connected.
    func waitForAgents(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while writers.withLock({ $0.count }) < count {
            guard ContinuousClock.now < deadline else { throw GatewayBenchError.failed("raw baseline: agent sockets did not connect") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the server.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }

    private func push(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let visitor = Self.index(request.headers[.authorization], prefix: "Bearer raw-visitor-") else {
            return Response(status: .unauthorized)
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let message = try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
        let frame: JSONValue = .object([
            "type": "event", "event": "message.accepted", "session_id": .string("raw-\(visitor)"),
            "data": .object([
                "sender": "visitor", "client_message_id": message["client_message_id"] ?? .null,
                "text": message["text"] ?? .null,
            ]),
        ])
        let text = String(decoding: try JSONEncoder().encode(frame), as: UTF8.self)
        guard let writer = writers.withLock({ $0[visitor % agents] }) else { return Response(status: .serviceUnavailable) }
        try await writer.write(.text(text))
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"accepted":true}"#)))
    }

    /// The baseline's server logs nothing below critical (its start and its stop are not news).
    private static let quietLogger: Logger = {
        var logger = Logger(label: "raw-baseline")
        logger.logLevel = .critical
        return logger
    }()

    private static func index(_ header: String?, prefix: String) -> Int? {
        guard let header, header.hasPrefix(prefix) else { return nil }
        return Int(header.dropFirst(prefix.count))
    }
}
