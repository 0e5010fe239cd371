import Foundation
import KefuModel
import Redis
import Synchronization

/// Plays the other services in tests: reads the request and command streams the gateway writes to and
/// answers entries that carry `reply_to` with `reply.result`, as routing, store, knowledge and reporting
/// do. What it answers is decided by the test's handler; unhandled requests get no reply (a timeout).
final class StreamResponder: Sendable {
    /// One entry the gateway wrote.
    struct Request: Sendable {
        var stream: String
        var id: String
        var type: String
        var replyTo: String?
        var data: JSONValue
        var name: String? { data["name"]?.stringValue }
        var actor: JSONValue? { data["actor"] }
        var params: JSONValue? { data["params"] }
    }

    typealias Handler = @Sendable (Request) async -> ReplyResult?

    let redis: RedisClient
    let prefix: String
    private let handler = Mutex<Handler>({ _ in nil })
    private let seen = Mutex<[Request]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    let partitions: Int?

    init(redis: RedisClient, prefix: String, partitions: Int? = nil) {
        self.redis = redis
        self.prefix = prefix
        self.partitions = partitions
    }

    /// Sets how requests are answered.
    func answer(_ handler: @escaping Handler) {
        self.handler.withLock { $0 = handler }
    }

    /// Everything read so far.
    var requests: [Request] { seen.withLock { $0 } }

    func start() {
        let count = partitions ?? ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1
        let names = (try? StreamNames(prefix: prefix, partitions: count)) ?? .standard
        var logical: [String: String] = [:]
        for name in ["requests:routing", "requests:store", "requests:knowledge", "requests:reporting", "inbound", "commands"] {
            for partition in names.partitions(of: "\(prefix):\(name)") { logical[partition] = "\(prefix):\(name)" }
        }
        let streams = logical.keys.sorted()
        let logicalOf = logical
        let redis = redis
        let loop = Task { [self] in
            let reader = redis.makeDedicatedConnection(readTimeout: .seconds(5))
            var last = Dictionary(uniqueKeysWithValues: streams.map { ($0, "0-0") })
            while !Task.isCancelled {
                let command = ["XREAD", "COUNT", "100", "BLOCK", "100", "STREAMS"] + streams + streams.map { last[$0]! }
                guard let reply = try? await reader.run({ try $0.command(command) }), let list = reply.array else { continue }
                for item in list {
                    guard let pair = item.array, pair.count == 2, let stream = pair[0].string, let entries = pair[1].array else { continue }
                    for entry in entries {
                        guard let parts = entry.array, parts.count == 2, let id = parts[0].string else { continue }
                        last[stream] = id
                        guard let fields = parts[1].array, fields.count >= 2, let bytes = fields[1].bytes,
                              let envelope = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { continue }
                        let request = Request(
                            stream: logicalOf[stream] ?? stream, id: envelope["id"]?.stringValue ?? "", type: envelope["type"]?.stringValue ?? "",
                            replyTo: envelope["reply_to"]?.stringValue, data: envelope["data"] ?? .null)
                        seen.withLock { $0.append(request) }
                        await respond(to: request)
                    }
                }
            }
            await reader.close()
        }
        task.withLock { $0 = loop }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func respond(to request: Request) async {
        guard let replyTo = request.replyTo, let correlation = EventID(request.id) else { return }
        let current = handler.withLock { $0 }
        guard let result = await current(request) else { return }
        let envelope = EventEnvelope(source: "routing", correlationID: correlation, data: result)
        guard let bytes = try? EnvelopeCodec.encode(envelope) else { return }
        _ = try? await redis.send([Array("XADD".utf8), Array(replyTo.utf8), Array("*".utf8), Array("event".utf8), bytes])
    }
}
