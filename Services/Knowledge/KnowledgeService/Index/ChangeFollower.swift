import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import ServiceLifecycle
import ServiceRuntime

/// Keeps this instance's matcher current. The `knowledge` consumer group hands each `knowledge.changed`
/// to one instance only, so every instance also tails the events stream itself (`XREAD`, no group):
/// it notes the stream's last id, loads every entry from PostgreSQL, then reads from that id and reloads
/// each changed entry. About every second it also rebuilds the matcher if the admins' words or synonyms changed. Every ``KnowledgeSettings/reconcileInterval`` it compares its revisions with
/// PostgreSQL's and reloads what differs (and forgets sessions ended and bot questions asked more than 90 days ago).
struct ChangeFollower: Service {
    let engine: KnowledgeEngine
    let context: ServiceContext
    /// Entries read per `XREAD`.
    var batchSize = 500
    /// `XREAD BLOCK` time (also the longest a shutdown waits for the read in hand).
    var blockMilliseconds = 1_000
    /// How often the admin lexicon's revision is compared with the matcher's (requests that match compare it
    /// themselves; this keeps an idle instance's `/matcher` current too).
    var lexiconCheckInterval: Duration = .seconds(1)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await context.readiness.wait(for: .migrations)
            }
        } catch {
            return
        }
        let connection = context.redis.makeDedicatedConnection(readTimeout: .milliseconds(blockMilliseconds + 5_000))
        do {
            try await cancelWhenGracefulShutdown { try await follow(connection) }
        } catch is CancellationError {
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private func follow(_ connection: RedisDedicatedConnection) async throws {
        // `knowledge.changed` carries no session or visitor: with partitions it is always in partition 0.
        let stream = context.streams.partition(0, of: context.streams.events)
        var lastID = try await retrying("reading the events stream's last id") {
            let reply = try await context.redis.send(["XREVRANGE", stream, "+", "-", "COUNT", "1"])
            return reply.array?.first?.array?.first?.string ?? "0-0"
        }
        try await retrying("loading the knowledge base") { try await load() }
        var nextReconcile = ContinuousClock.now + engine.settings.reconcileInterval
        var nextLexiconCheck = ContinuousClock.now + lexiconCheckInterval
        while true {
            try Task.checkCancellation()
            do {
                let command = ["XREAD", "COUNT", "\(batchSize)", "BLOCK", "\(blockMilliseconds)", "STREAMS", stream, lastID]
                let reply = try await connection.run { try $0.command(command).throwingOnError() }
                let (last, changed) = Self.changedEntries(reply)
                if !changed.isEmpty { try await reload(changed) }
                if let last { lastID = last }
                if ContinuousClock.now >= nextLexiconCheck {
                    nextLexiconCheck = ContinuousClock.now + lexiconCheckInterval
                    try await refreshLexicon()
                }
                if ContinuousClock.now >= nextReconcile {
                    nextReconcile = ContinuousClock.now + engine.settings.reconcileInterval
                    try await reconcile()
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                context.logger.warning("following knowledge changes failed; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// The full load (unless a request already did it) and a catch-up by revision.
    func load() async throws {
        let start = ContinuousClock.now
        let engine = self.engine
        try await context.postgres.withConnection { connection in try engine.prepareIndex(connection) }
        context.logger.info(
            "knowledge matcher loaded",
            metadata: ["entries": "\(engine.index.count)", "ms": "\((ContinuousClock.now - start).milliseconds)"])
    }

    /// Rebuilds the matcher when the admins' words or synonyms changed since it was built.
    func refreshLexicon() async throws {
        let engine = self.engine
        let rebuilt = try await context.postgres.withConnection { connection -> Bool in
            let revision = try engine.lexicon.revision(connection)
            guard revision != engine.index.lexiconRevision else { return false }
            try engine.index.rebuild(lexiconRevision: revision) { try engine.loader.snapshot(connection) }
            return true
        }
        if rebuilt {
            context.logger.info("knowledge matcher rebuilt with the admin words and synonyms", metadata: ["entries": "\(engine.index.count)"])
        }
    }

    /// Reloads the given entries from PostgreSQL.
    func reload(_ ids: [UUID]) async throws {
        let loader = engine.loader
        let index = engine.index
        for chunk in stride(from: 0, to: ids.count, by: 1_000).map({ Array(ids[$0..<min(ids.count, $0 + 1_000)]) }) {
            let current = try await context.postgres.withConnection { connection in try loader.current(chunk, connection) }
            index.apply(current.rows, tombstones: current.tombstones)
            index.forget(current.missing)
        }
    }

    /// Reloads every entry whose revision differs from PostgreSQL's, forgets those PostgreSQL no longer has.
    func reconcile() async throws {
        let loader = engine.loader
        let stored = try await context.postgres.withConnection { connection in try loader.revisions(connection) }
        let known = engine.index.revisions()
        var differing = stored.compactMap { id, revision in known[id] == revision ? nil : id }
        differing += known.keys.filter { stored[$0] == nil }
        if !differing.isEmpty {
            context.logger.info("reconciling the knowledge matcher", metadata: ["entries": "\(differing.count)"])
            try await reload(differing)
        }
        let sessions = engine.sessions
        _ = try await context.postgres.withConnection { connection in try sessions.purge(olderThanDays: 90, connection) }
        let schema = engine.schema
        _ = try await context.postgres.withConnection { connection in try UnknownQuestions.purge(schema: schema, olderThanDays: 90, connection) }
    }

    /// The last entry id of an `XREAD` reply and the entries named by its `knowledge.changed` events.
    static func changedEntries(_ reply: RedisReply) -> (lastID: String?, entries: [UUID]) {
        guard let streams = reply.array, let entries = streams.first?.array?.dropFirst().first?.array else { return (nil, []) }
        var lastID: String?
        var changed: [UUID] = []
        let marker = Array("knowledge.changed".utf8)
        for entry in entries {
            guard let parts = entry.array, let id = parts.first?.string else { continue }
            lastID = id
            guard let fields = parts.dropFirst().first?.array else { continue }
            var index = 0
            while index + 1 < fields.count {
                defer { index += 2 }
                guard fields[index].string == StreamNames.entryField, let bytes = fields[index + 1].bytes,
                      Self.contains(bytes, marker),
                      let envelope = try? EnvelopeCodec.decode(bytes, as: KnowledgeChanged.self)
                else { continue }
                changed.append(envelope.data.entryID.uuid)
            }
        }
        return (lastID, changed)
    }

    /// Whether `needle` occurs in `haystack`. (The generic `firstRange(of:)` it replaces was the largest
    /// single cost of this service in a human-session benchmark: every event of the stream is scanned.)
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var index = 0
                let last = h.count - n.count
                while index <= last {
                    if h[index] == first && memcmp(h.baseAddress! + index, n.baseAddress!, n.count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }

    private func retrying<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        while true {
            do {
                return try await body()
            } catch let error as CancellationError {
                throw error
            } catch {
                context.logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
