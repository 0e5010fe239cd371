import Foundation
import KefuModel
import Postgres
import Redis

/// `image.put` and `image.get`: image bytes move through short-lived Redis keys `<prefix>:blob:<uuid>`,
/// never through streams (docs/queries.md, "Binary bodies").
struct ImageQueries: Sendable {
    let postgres: PostgresClient
    /// The Redis keys the bytes come and go through.
    let blobs: Blobs

    /// Stores the image the gateway wrote to `blob_key` for `session_id`, then deletes the key.
    ///
    /// The bytes must be 1 byte to 5 MiB and start with the magic number of PNG, JPEG, GIF or WebP;
    /// the stored type is the one the bytes show (a declared `mime_type` must be one of the four).
    /// Visitors may upload to their own sessions, agents to sessions assigned or transferred to them,
    /// admins to any. A redelivered request (same envelope id) answers with the image already stored.
    /// Result: `{ image_id, size, mime_type }`.
    func put(_ actor: Actor, _ params: QueryParams, requestID: UUID) async throws -> JSONValue {
        let uploader = try Blobs.uploader(actor, what: "images")
        let key = try blobs.key(params)
        let sessionID = try params.uuid("session_id")
        if let declared = try params.optionalString("mime_type"), ImageRef.MIMEType(rawValue: declared) == nil {
            throw QueryFailure.invalidParams("params.mime_type must be image/png, image/jpeg, image/gif or image/webp")
        }
        if let stored = try await storedImage(requestID: requestID) {
            try await blobs.delete(key)
            return stored
        }
        let session = try await postgres.withConnection { try SessionAccess.load(sessionID, on: $0) }
        guard let session else { throw QueryFailure.unknownSession }
        guard actor.role != .supervisor else { throw QueryFailure.forbidden("supervisors see sessions read-only") }
        try session.authorize(actor)
        let bytes = try await blobs.read(key, limit: ImageFormat.maxBytes) { QueryFailure(code: "payload_too_large", message: "the image is \($0) bytes; the limit is \(ImageFormat.maxBytes) bytes (5 MiB)") }
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
            try await blobs.delete(key)
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
        try await blobs.delete(key)
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
        let key = try await blobs.offer(bytes)
        return .object(["blob_key": .string(key), "mime_type": .string(mimeType), "size": .integer(Int64(size))])
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
