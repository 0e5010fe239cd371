import Foundation
import Hummingbird
import KefuModel
import NIOCore
import Redis
import ServiceLifecycle
import Synchronization

/// One event of an API channel's feed: the WebSocket frame's fields plus `cursor`, the feed position to
/// resume after it (see ``FeedCursor``).
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
    /// every partition of the events stream after `cursor`. Long-poll JSON by default; SSE with
    /// `Accept: text/event-stream` or `mode=sse`. The cursor holds an events-stream id per partition
    /// (``FeedCursor``); the gateway keeps the channel's consumer group `connector-<channel>` of each partition
    /// at the last cursor presented, so that trimming keeps everything after it.
    func channelEvents(_ request: Request, channel: String) async throws -> Response {
        let streams = context.streams.partitions(of: context.streams.events)
        let sse: Bool
        switch request.query("mode") {
        case "sse"?: sse = true
        case "poll"?: sse = false
        case nil: sse = request.headers[.accept]?.lowercased().contains("text/event-stream") == true
        default: throw APIError.badRequest("invalid_params", "`mode` must be poll or sse")
        }
        let presented = request.query("cursor") ?? (sse ? request.headers[.lastEventID] : nil)
        var cursor: FeedCursor?
        if let presented, presented != "$" {
            guard let parsed = FeedCursor(presented, partitions: streams.count) else {
                let form = streams.count == 1 ? "an events-stream id such as 1764057600123-0" : "\(streams.count) comma-separated events-stream ids (one per partition) or one id such as 1764057600123-0"
                throw APIError.badRequest("invalid_params", "`cursor` must be \(form), or 0")
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
        let reader = context.redis.makeDedicatedConnection(readTimeout: .seconds(Self.maxPollSeconds + 10))
        let start: FeedCursor
        let gap: Bool
        let clientID: Int64
        do {
            var infos: [EventStreamInfo] = []
            for stream in streams { infos.append(try await streamInfo(reader, stream: stream)) }
            start = cursor ?? FeedCursor(ids: infos.map(\.lastGenerated))
            gap = cursor.map { cursor in zip(infos, cursor.ids).contains { $0.trimmed(after: $1) } } ?? false
            for (index, stream) in streams.enumerated() {
                try await holdRetention(channel: channel, at: start.ids[index], reader: reader, stream: stream)
            }
            clientID = try await reader.run { connection in try connection.clientID() }
        } catch let error as APIError {
            await reader.close()
            throw error
        } catch {
            await reader.close()
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        let stop = FeedStop(redis: context.redis, clientID: clientID)
        if sse { return channelEventStream(reader: reader, streams: streams, channel: channel, after: start, gap: gap, stop: stop) }
        defer { Task { await reader.close() } }
        var after = start
        var events: [ChannelFeedEvent] = []
        var scanned = 0
        let deadline = ContinuousClock.now + .seconds(wait)
        do {
            try await withGracefulShutdownHandler {
                scan: while !stop.requested {
                    let remaining = events.isEmpty ? max(0, (deadline - ContinuousClock.now).milliseconds) : 0
                    let entries = try await readEvents(reader, streams: streams, after: after, count: 500, block: remaining)
                    for (partition, entry) in entries {
                        if let parsed = StreamID(entry.id) { after.advance(partition, to: parsed) }
                        guard let event = Self.feedEvent(entry, channel: channel, cursor: after.description) else { continue }
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
        reader: RedisDedicatedConnection, streams: [String], channel: String, after start: FeedCursor, gap: Bool, stop: FeedStop
    ) -> Response {
        let body = ResponseBody { [self] writer in
            defer { Task { await reader.close() } }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            if gap { try await writer.write(ByteBuffer(string: "event: gap\ndata: {\"type\":\"gap\",\"cursor\":\"\(start)\"}\n\n")) }
            var after = start
            try await withGracefulShutdownHandler {
                while !Task.isCancelled && !stop.requested {
                    let entries = try await readEvents(reader, streams: streams, after: after, count: 500, block: 15000)
                    var text = ""
                    for (partition, entry) in entries {
                        if let parsed = StreamID(entry.id) { after.advance(partition, to: parsed) }
                        guard let event = Self.feedEvent(entry, channel: channel, cursor: after.description) else { continue }
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

    /// The entry as a feed event when a visitor of `channel` should see it; `cursor` is the feed position
    /// right after it.
    static func feedEvent(_ entry: TailEntry, channel: String, cursor: String) -> ChannelFeedEvent? {
        guard let bytes = entry.event,
              let envelope = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
              let type = envelope["type"]?.stringValue, EventType(rawValue: type)?.isStaffOnly != true,
              let data = envelope["data"], data.objectValue != nil, data["channel"]?.stringValue == channel, data["visitor_id"]?.stringValue != nil
        else { return nil }
        return ChannelFeedEvent(
            cursor: cursor, event: type, sessionID: data["session_id"]?.stringValue?.lowercased(), seq: data["seq"]?.intValue,
            time: envelope["time"]?.stringValue, data: data)
    }

    private static func encode(_ event: ChannelFeedEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(event)) ?? Data("{}".utf8))
    }

    /// The entries after `after` in every partition, each with its partition's index, merged by stream id
    /// (a session's entries are all in one partition, so their order holds).
    private func readEvents(
        _ reader: RedisDedicatedConnection, streams: [String], after: FeedCursor, count: Int, block: Int
    ) async throws -> [(Int, TailEntry)] {
        let blocking = block > 0 ? ["BLOCK", String(block)] : []
        let command = ["XREAD", "COUNT", String(count)] + blocking + ["STREAMS"] + streams + after.ids.map(\.description)
        let reply = try await reader.run { connection in try connection.command(command).throwingOnError() }
        guard streams.count > 1 else { return StreamTail.entries(reply).map { (0, $0) } }
        var merged: [(Int, StreamID, TailEntry)] = []
        for stream in reply.array ?? [] {
            guard let pair = stream.array, pair.count == 2, let name = pair[0].string, let index = streams.firstIndex(of: name) else { continue }
            for entry in StreamTail.rangeEntries(pair[1]) {
                merged.append((index, StreamID(entry.id) ?? StreamID("0-0")!, entry))
            }
        }
        merged.sort { ($0.1, $0.0) < ($1.1, $1.0) }
        return merged.map { ($0.0, $0.2) }
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
    /// entry kept is past it after entries were removed (trimming removes the oldest entries first; a
    /// cursor the gateway's group protects stays in the stream). `0` is a gap once anything was removed.
    func trimmed(after cursor: StreamID) -> Bool {
        if cursor < maxDeleted { return true }
        let zero = StreamID("0-0")!
        if cursor == zero { return entriesAdded > length }
        guard entriesAdded > length else { return false }
        guard let firstEntry else { return cursor < lastGenerated }
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
