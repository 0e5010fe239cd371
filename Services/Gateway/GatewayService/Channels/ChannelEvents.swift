import Foundation
import Hummingbird
import KefuModel
import NIOCore
import Redis
import ServiceLifecycle
import Synchronization

/// One event of an API channel's feed: the WebSocket frame's fields plus `cursor`, the events-stream id
/// to resume after it.
struct ChannelFeedEvent: Encodable, Sendable {
    var cursor: String
    var event: String
    var sessionID: String?
    var seq: Int?
    var time: String?
    var data: JSONValue

    enum CodingKeys: String, CodingKey {
        case cursor, event, seq, time, data
        case sessionID = "session_id"
    }
}

/// A long-poll answer: the events, the cursor to send next time, and whether entries after the given cursor
/// were trimmed from the stream (`gap`: reload the open sessions' history, see docs/integrations.md).
struct ChannelFeedPage: Encodable, Sendable {
    var events: [ChannelFeedEvent]
    var cursor: String
    var gap: Bool
}

/// An events-stream id, `<ms>-<seq>`, ordered as Redis orders them.
struct StreamID: Comparable, Sendable, CustomStringConvertible {
    var milliseconds: UInt64
    var sequence: UInt64

    /// Parses `<ms>-<seq>` or `<ms>` (sequence 0); nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count <= 20, let ms = UInt64(parts[0]) else { return nil }
        milliseconds = ms
        if parts.count == 2 {
            guard parts[1].count <= 20, let seq = UInt64(parts[1]) else { return nil }
            sequence = seq
        } else {
            sequence = 0
        }
    }

    var description: String { "\(milliseconds)-\(sequence)" }

    static func < (lhs: StreamID, rhs: StreamID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}

extension Gateway {
    /// The longest long-poll wait, in seconds.
    static let maxPollSeconds = 60
    /// The most entries one long-poll answer reads (the cursor then moves past them even without events).
    static let maxScannedEntries = 20_000

    /// `GET /channels/{channel}/events`: every event a visitor of `channel` should see (those whose
    /// `data.channel` is the channel and that name a visitor, as the widget's socket gets them), read from
    /// the events stream after `cursor`. Long-poll JSON by default; SSE with `Accept: text/event-stream` or
    /// `mode=sse`. The cursor is an events-stream id; the gateway keeps the channel's consumer group
    /// `connector-<channel>` at the last cursor presented, so that trimming keeps everything after it.
    func channelEvents(_ request: Request, channel: String) async throws -> Response {
        guard context.streams.partitionCount == 1 else {
            throw APIError.unavailable("the channel event feed reads one events stream; with KEFU_STREAM_PARTITIONS > 1 read the partitions of the events stream in your consumer group (docs/streams.md)")
        }
        let sse: Bool
        switch request.query("mode") {
        case "sse"?: sse = true
        case "poll"?: sse = false
        case nil: sse = request.headers[.accept]?.lowercased().contains("text/event-stream") == true
        default: throw APIError.badRequest("invalid_params", "`mode` must be poll or sse")
        }
        let presented = request.query("cursor") ?? (sse ? request.headers[.lastEventID] : nil)
        var cursor: StreamID?
        if let presented, presented != "$" {
            guard let parsed = StreamID(presented) else {
                throw APIError.badRequest("invalid_params", "`cursor` must be an events-stream id such as 1764057600123-0, or 0")
            }
            cursor = parsed
        }
        var wait = 25
        if let text = request.query("timeout") {
            guard let seconds = Int(text), (0...Self.maxPollSeconds).contains(seconds) else {
                throw APIError.badRequest("invalid_params", "`timeout` must be 0-\(Self.maxPollSeconds) seconds")
            }
            wait = seconds
        }
        var limit = 100
        if let text = request.query("limit") {
            guard let count = Int(text), (1...500).contains(count) else {
                throw APIError.badRequest("invalid_params", "`limit` must be 1-500")
            }
            limit = count
        }
        let stream = context.streams.events
        let reader = context.redis.makeDedicatedConnection(readTimeout: .seconds(Self.maxPollSeconds + 10))
        let start: StreamID
        let gap: Bool
        let clientID: Int64
        do {
            let info = try await streamInfo(reader, stream: stream)
            start = cursor ?? info.lastGenerated
            gap = cursor.map(info.trimmed(after:)) ?? false
            try await holdRetention(channel: channel, at: start, reader: reader, stream: stream)
            clientID = try await reader.run { connection in try connection.clientID() }
        } catch let error as APIError {
            await reader.close()
            throw error
        } catch {
            await reader.close()
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        let stop = FeedStop(redis: context.redis, clientID: clientID)
        if sse { return channelEventStream(reader: reader, stream: stream, channel: channel, after: start, gap: gap, stop: stop) }
        defer { Task { await reader.close() } }
        var after = start
        var events: [ChannelFeedEvent] = []
        var scanned = 0
        let deadline = ContinuousClock.now + .seconds(wait)
        do {
            try await withGracefulShutdownHandler {
                scan: while !stop.requested {
                    let remaining = events.isEmpty ? max(0, (deadline - ContinuousClock.now).milliseconds) : 0
                    let entries = try await readEvents(reader, stream: stream, after: after, count: 500, block: remaining)
                    for entry in entries {
                        if let parsed = StreamID(entry.id) { after = parsed }
                        guard let event = Self.feedEvent(entry, channel: channel) else { continue }
                        events.append(event)
                        if events.count == limit { break scan }
                    }
                    scanned += entries.count
                    if entries.isEmpty || scanned >= Self.maxScannedEntries { break }
                }
            } onGracefulShutdown: {
                stop.request()
            }
        } catch {
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        return try jsonResponse(ChannelFeedPage(events: events, cursor: after.description, gap: gap))
    }

    /// The SSE form: `id: <cursor>`, `event: <type>`, `data: <the event as in the long-poll answer>`, a
    /// `gap` event first when entries after the cursor were trimmed, and a comment every 15 s of silence.
    private func channelEventStream(
        reader: RedisDedicatedConnection, stream: String, channel: String, after start: StreamID, gap: Bool, stop: FeedStop
    ) -> Response {
        let body = ResponseBody { [self] writer in
            defer { Task { await reader.close() } }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            if gap { try await writer.write(ByteBuffer(string: "event: gap\ndata: {\"type\":\"gap\",\"cursor\":\"\(start)\"}\n\n")) }
            var after = start
            try await withGracefulShutdownHandler {
                while !Task.isCancelled && !stop.requested {
                    let entries = try await readEvents(reader, stream: stream, after: after, count: 500, block: 15000)
                    var text = ""
                    for entry in entries {
                        if let parsed = StreamID(entry.id) { after = parsed }
                        guard let event = Self.feedEvent(entry, channel: channel) else { continue }
                        text += "id: \(event.cursor)\nevent: \(event.event)\ndata: \(String(decoding: Self.encode(event), as: UTF8.self))\n\n"
                    }
                    try await writer.write(ByteBuffer(string: text.isEmpty ? ": keepalive\n\n" : text))
                }
            } onGracefulShutdown: {
                stop.request()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .connection: "keep-alive"],
            body: body)
    }

    /// The entry as a feed event when a visitor of `channel` should see it.
    static func feedEvent(_ entry: TailEntry, channel: String) -> ChannelFeedEvent? {
        guard let bytes = entry.event,
              let envelope = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
              let type = envelope["type"]?.stringValue, EventType(rawValue: type)?.isStaffOnly != true,
              let data = envelope["data"], data.objectValue != nil, data["channel"]?.stringValue == channel, data["visitor_id"]?.stringValue != nil
        else { return nil }
        return ChannelFeedEvent(
            cursor: entry.id, event: type, sessionID: data["session_id"]?.stringValue?.lowercased(), seq: data["seq"]?.intValue,
            time: envelope["time"]?.stringValue, data: data)
    }

    private static func encode(_ event: ChannelFeedEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(event)) ?? Data("{}".utf8))
    }

    private func readEvents(_ reader: RedisDedicatedConnection, stream: String, after: StreamID, count: Int, block: Int) async throws -> [TailEntry] {
        let command = block > 0
            ? ["XREAD", "COUNT", String(count), "BLOCK", String(block), "STREAMS", stream, after.description]
            : ["XREAD", "COUNT", String(count), "STREAMS", stream, after.description]
        let reply = try await reader.run { connection in try connection.command(command).throwingOnError() }
        return StreamTail.entries(reply)
    }

    /// What `XINFO STREAM` says about the events stream (all zero when it does not exist yet).
    private func streamInfo(_ reader: RedisDedicatedConnection, stream: String) async throws -> EventStreamInfo {
        let reply = try await reader.run { connection in try connection.command(["XINFO", "STREAM", stream]) }
        var info = EventStreamInfo()
        guard let fields = reply.array else { return info }
        var index = 0
        while index + 1 < fields.count {
            let value = fields[index + 1]
            switch fields[index].string {
            case "last-generated-id": info.lastGenerated = value.string.flatMap(StreamID.init) ?? info.lastGenerated
            case "max-deleted-entry-id": info.maxDeleted = value.string.flatMap(StreamID.init) ?? info.maxDeleted
            case "first-entry": info.firstEntry = value.array?.first?.string.flatMap(StreamID.init)
            case "entries-added": info.entriesAdded = value.int ?? 0
            case "length": info.length = value.int ?? 0
            default: break
            }
            index += 2
        }
        return info
    }

    /// Sets the channel's consumer group on the events stream to `cursor` (creating it the first time), so
    /// that the stream trimmer keeps every entry the integrator has not confirmed by presenting a later cursor.
    private func holdRetention(channel: String, at cursor: StreamID, reader: RedisDedicatedConnection, stream: String) async throws {
        let group = try validated { () throws(ContractError) in try ConsumerGroups.connector(channel: channel) }
        let id = cursor.description
        _ = try await reader.run { connection -> Bool in
            let created = try connection.command(["XGROUP", "CREATE", stream, group, id, "MKSTREAM"])
            if let message = created.errorMessage {
                guard message.hasPrefix("BUSYGROUP") else { throw APIError.badRequest("invalid_params", "`cursor`: \(message)") }
                let moved = try connection.command(["XGROUP", "SETID", stream, group, id])
                if let refusal = moved.errorMessage { throw APIError.badRequest("invalid_params", "`cursor`: \(refusal)") }
            }
            return true
        }
    }
}

/// The parts of `XINFO STREAM` the feed needs.
struct EventStreamInfo: Sendable {
    var lastGenerated = StreamID("0-0")!
    var maxDeleted = StreamID("0-0")!
    var firstEntry: StreamID?
    var entriesAdded: Int64 = 0
    var length: Int64 = 0

    /// Whether entries after `cursor` may have been removed: one deleted by `XDEL` after it, or the oldest
    /// entry kept is past it while the cursor itself is gone (trimming removes the oldest entries first; a
    /// cursor the gateway's group protects stays in the stream). `0` is a gap once anything was removed.
    func trimmed(after cursor: StreamID) -> Bool {
        if cursor < maxDeleted { return true }
        let zero = StreamID("0-0")!
        if cursor == zero { return entriesAdded > length }
        guard let firstEntry else { return entriesAdded > 0 && cursor < lastGenerated }
        return cursor < firstEntry
    }
}

/// Ends a feed's blocked read at graceful shutdown (`CLIENT UNBLOCK` of its connection), so that a long
/// poll answers and an event stream closes instead of holding the shutdown.
final class FeedStop: Sendable {
    private let redis: RedisClient
    private let clientID: Int64
    private let flag = Atomic<Bool>(false)

    init(redis: RedisClient, clientID: Int64) {
        self.redis = redis
        self.clientID = clientID
    }

    /// Whether shutdown asked the feed to stop.
    var requested: Bool { flag.load(ordering: .acquiring) }

    /// Asks the feed to stop and unblocks its read.
    func request() {
        flag.store(true, ordering: .releasing)
        let redis = redis
        let id = String(clientID)
        Task { _ = try? await redis.send(["CLIENT", "UNBLOCK", id]) }
    }
}
