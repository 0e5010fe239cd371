import Foundation
import KefuModel
import Postgres
import Redis

/// `image.put` and `image.get`: image bytes move through short-lived Redis keys `<prefix>:blob:<uuid>`,
/// never through streams (docs/queries.md, "Binary bodies").
struct ImageQueries: Sendable {
    /// How long a download key lives, in seconds.
    static let downloadSeconds = 60

    let postgres: PostgresClient
    let redis: RedisClient
    /// `<prefix>:blob:`, the only keys this service reads or writes bytes under.
    let blobPrefix: String

    /// Stores the image the gateway wrote to `blob_key` for `session_id`, then deletes the key.
    ///
    /// The bytes must be 1 byte to 5 MiB and start with the magic number of PNG, JPEG, GIF or WebP;
    /// the stored type is the one the bytes show (a declared `mime_type` must be one of the four).
    /// Visitors may upload to their own sessions, agents to sessions assigned or transferred to them,
    /// admins to any. A redelivered request (same envelope id) answers with the image already stored.
    /// Result: `{ image_id, size, mime_type }`.
    func put(_ actor: Actor, _ params: QueryParams, requestID: UUID) async throws -> JSONValue {
        let uploader = try Self.uploader(actor)
        let key = try blobKey(params)
        let sessionID = try params.uuid("session_id")
        if let declared = try params.optionalString("mime_type"), ImageRef.MIMEType(rawValue: declared) == nil {
            throw QueryFailure.invalidParams("params.mime_type must be image/png, image/jpeg, image/gif or image/webp")
        }
        if let stored = try await storedImage(requestID: requestID) {
            try await deleteKey(key)
            return stored
        }
        let session = try await postgres.withConnection { try SessionAccess.load(sessionID, on: $0) }
        guard let session else { throw QueryFailure.unknownSession }
        guard actor.role != .supervisor else { throw QueryFailure.forbidden("supervisors see sessions read-only") }
        try session.authorize(actor)
        let bytes = try await readBlob(key)
        let imageID = UUID()
        let mimeType: ImageRef.MIMEType
        do {
            guard let detected = ImageFormat.detect(bytes) else {
                throw QueryFailure(
                    code: "invalid_image",
                    message: "the bytes are not a PNG, JPEG, GIF or WebP image (checked by content, not by name)")
            }
            mimeType = detected
        } catch {
            try await deleteKey(key)
            throw error
        }
        try await postgres.execute(
            """
            INSERT INTO store.images
                (image_id, session_id, uploader_role, uploader_id, uploader_channel, mime_type, bytes, size, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (request_id) DO NOTHING
            """,
            [imageID, sessionID, uploader.role, uploader.id, uploader.channel, mimeType.rawValue, bytes, bytes.count, requestID])
        try await deleteKey(key)
        guard let stored = try await storedImage(requestID: requestID) else {
            throw QueryFailure(code: "store_error", message: "the image was not stored; upload it again")
        }
        return stored
    }

    /// Writes the image's bytes to a fresh `<prefix>:blob:<uuid>` key that expires in 60 s.
    ///
    /// Readable by the session's visitor, the agents assigned or transferred to it, and admins; anyone else
    /// gets `unknown_image` (visitors) or `forbidden` (agents). Result: `{ blob_key, mime_type, size }`.
    func get(_ actor: Actor, _ params: QueryParams) async throws -> JSONValue {
        let imageID = try params.uuid("image_id")
        let found = try await postgres.withConnection { connection -> (SessionAccess?, String, Int)? in
            let rows = try connection.query(
                "SELECT session_id, mime_type, size FROM store.images WHERE image_id = $1", [imageID])
            guard let row = rows.first else { return nil }
            let session = try SessionAccess.load(try row.decode(UUID.self, at: 0), on: connection)
            return (session, try row.decode(String.self, at: 1), try row.decode(Int.self, at: 2))
        }
        guard let (session, mimeType, size) = found, let session else { throw QueryFailure.unknownImage }
        try session.authorize(actor, hidden: .unknownImage)
        let rows = try await postgres.query("SELECT bytes FROM store.images WHERE image_id = $1", [imageID])
        guard let row = rows.first else { throw QueryFailure.unknownImage }
        let bytes = try row.decode([UInt8].self, at: 0)
        let key = blobPrefix + UUID().uuidString.lowercased()
        _ = try await redis.send([
            Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array(String(Self.downloadSeconds).utf8),
        ]).throwingOnError()
        return .object(["blob_key": .string(key), "mime_type": .string(mimeType), "size": .integer(Int64(size))])
    }

    /// The uploader's role, id and channel for the images table.
    private static func uploader(_ actor: Actor) throws(QueryFailure) -> (role: String, id: String, channel: String?) {
        switch actor.role {
        case .visitor:
            guard let visitorID = actor.visitorID else { throw .invalidParams("actor.visitor_id is required") }
            return ("visitor", visitorID, actor.channel)
        case .agent, .admin:
            guard let agentID = actor.agentID else { throw .invalidParams("actor.agent_id is required") }
            return (actor.role.rawValue, agentID.description, nil)
        case .service, .supervisor:
            throw .forbidden("images are uploaded by visitors, agents and admins")
        }
    }

    /// `params.blob_key`, which must name a key under `<prefix>:blob:` (never another Redis key).
    private func blobKey(_ params: QueryParams) throws(QueryFailure) -> String {
        let key = try params.string("blob_key")
        guard key.hasPrefix(blobPrefix), UUID(uuidString: String(key.dropFirst(blobPrefix.count))) != nil else {
            throw .invalidParams("params.blob_key must be a key \(blobPrefix)<uuid> written by the gateway")
        }
        return key
    }

    /// The blob's bytes, refusing a missing key and one over 5 MiB (checked with `STRLEN` before reading).
    private func readBlob(_ key: String) async throws -> [UInt8] {
        let length = try await redis.send(["STRLEN", key]).throwingOnError().int ?? 0
        if length > ImageFormat.maxBytes {
            try await deleteKey(key)
            throw QueryFailure(
                code: "payload_too_large",
                message: "the image is \(length) bytes; the limit is \(ImageFormat.maxBytes) bytes (5 MiB)")
        }
        guard length > 0, let bytes = try await redis.send([Array("GET".utf8), Array(key.utf8)]).throwingOnError().bytes,
              !bytes.isEmpty
        else {
            throw QueryFailure.invalidParams("the blob \(key) is missing, empty or expired (it lives 300 s); upload again")
        }
        return bytes
    }

    private func deleteKey(_ key: String) async throws {
        _ = try await redis.send(["DEL", key]).throwingOnError()
    }

    /// The image stored by request `requestID`, as `image.put`'s result.
    private func storedImage(requestID: UUID) async throws -> JSONValue? {
        let rows = try await postgres.query(
            "SELECT image_id, size, mime_type FROM store.images WHERE request_id = $1", [requestID])
        guard let row = rows.first else { return nil }
        return .object([
            "image_id": .string(try row.decode(UUID.self, at: 0).uuidString.lowercased()),
            "size": .integer(try row.decode(Int64.self, at: 1)),
            "mime_type": .string(try row.decode(String.self, at: 2)),
        ])
    }
}
