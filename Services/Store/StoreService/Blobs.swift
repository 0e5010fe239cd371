import Foundation
import KefuModel
import Redis

/// The short-lived Redis keys `<prefix>:blob:<uuid>` that image and file bytes move through (never streams;
/// docs/queries.md, "Binary bodies"), and who may upload: what `image.put`/`file.put` and `image.get`/`file.get`
/// share.
struct Blobs: Sendable {
    /// How long a download key lives, in seconds.
    static let downloadSeconds = 60

    let redis: RedisClient
    /// `<prefix>:blob:`, the only keys this service reads or writes bytes under.
    let prefix: String

    /// The uploader's role, id and channel for the stored row: visitors, agents and admins upload `what`.
    static func uploader(_ actor: Actor, what: String) throws(QueryFailure) -> (role: String, id: String, channel: String?) {
        switch actor.role {
        case .visitor:
            guard let visitorID = actor.visitorID else { throw .invalidParams("actor.visitor_id is required") }
            return ("visitor", visitorID, actor.channel)
        case .agent, .admin:
            guard let agentID = actor.agentID else { throw .invalidParams("actor.agent_id is required") }
            return (actor.role.rawValue, agentID.description, nil)
        case .service, .supervisor:
            throw .forbidden("\(what) are uploaded by visitors, agents and admins")
        }
    }

    /// `params.blob_key`, which must name a key under the prefix (never another Redis key).
    func key(_ params: QueryParams) throws(QueryFailure) -> String {
        let key = try params.string("blob_key")
        guard key.hasPrefix(prefix), UUID(text: String(key.dropFirst(prefix.count))) != nil else {
            throw .invalidParams("params.blob_key must be a key \(prefix)<uuid> written by the gateway")
        }
        return key
    }

    /// The blob's bytes. A key over `limit` bytes (checked with `STRLEN` before reading) is deleted and refused
    /// with `tooLarge(length)`; a missing or empty one is refused.
    func read(_ key: String, limit: Int, tooLarge: (Int64) -> QueryFailure) async throws -> [UInt8] {
        let length = try await redis.send(["STRLEN", key]).throwingOnError().int ?? 0
        if length > limit {
            try await delete(key)
            throw tooLarge(length)
        }
        guard length > 0, let bytes = try await redis.send([Array("GET".utf8), Array(key.utf8)]).throwingOnError().bytes,
              !bytes.isEmpty
        else {
            throw QueryFailure.invalidParams("the blob \(key) is missing, empty or expired (it lives 300 s); upload again")
        }
        return bytes
    }

    func delete(_ key: String) async throws {
        _ = try await redis.send(["DEL", key]).throwingOnError()
    }

    /// Writes `bytes` to a new key that lives ``downloadSeconds`` for the gateway to stream; returns the key.
    func offer(_ bytes: [UInt8]) async throws -> String {
        let key = prefix + UUID().lowercasedText
        _ = try await redis.send([
            Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array(String(Self.downloadSeconds).utf8),
        ]).throwingOnError()
        return key
    }
}
