import Foundation
import KefuModel
import Postgres
import Redis

/// `file.put` and `file.get`: file bytes move through short-lived Redis keys `<prefix>:blob:<uuid>`, never
/// through streams, exactly as images do (docs/queries.md, "Binary bodies").
struct FileQueries: Sendable {
    let postgres: PostgresClient
    /// The Redis keys the bytes come and go through.
    let blobs: Blobs

    /// Stores the file the gateway wrote to `blob_key` for `session_id` under `name`, then deletes the key.
    ///
    /// The bytes must be 1 byte to 50 MiB and be one of the ``FileType``s by content (the gateway has already
    /// checked the settings' limit and allow-list); the stored type is the one the bytes show. Visitors may
    /// upload to their own sessions, agents to sessions they serve, admins to any. A redelivered request
    /// (same envelope id) answers with the file already stored. Result: `{ file_id, name, size, mime_type }`.
    func put(_ actor: Actor, _ params: QueryParams, requestID: UUID) async throws -> JSONValue {
        let uploader = try Blobs.uploader(actor, what: "files")
        let key = try blobs.key(params)
        let sessionID = try params.uuid("session_id")
        let name = try params.string("name")
        do throws(ContractError) {
            try FileRef.validateName(name, field: "params.name")
        } catch {
            try await blobs.delete(key)
            throw QueryFailure.invalidParams(error.description)
        }
        if let stored = try await storedFile(requestID: requestID) {
            try await blobs.delete(key)
            return stored
        }
        let session = try await postgres.withConnection { try SessionAccess.load(sessionID, on: $0) }
        do {
            guard let session else { throw QueryFailure.unknownSession }
            try session.authorize(actor)
        } catch {
            try await blobs.delete(key)
            throw error
        }
        let bytes = try await blobs.read(key, limit: FileRef.maxBytes) { QueryFailure(code: "file_too_large", message: "the file is \($0) bytes; the limit is \(FileRef.maxBytes) bytes (50 MiB)") }
        guard let type = FileType.detect(bytes) else {
            try await blobs.delete(key)
            throw QueryFailure(
                code: "unsupported_file",
                message: "the bytes are not a PDF, Office document, UTF-8 text or archive (checked by content, not by name)")
        }
        try await postgres.execute(
            """
            INSERT INTO store.files
                (file_id, session_id, uploader_role, uploader_id, uploader_channel, name, mime_type, bytes, size, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (request_id) DO NOTHING
            """,
            [UUID(), sessionID, uploader.role, uploader.id, uploader.channel, name, type.rawValue, bytes, bytes.count, requestID])
        try await blobs.delete(key)
        guard let stored = try await storedFile(requestID: requestID) else {
            throw QueryFailure(code: "store_error", message: "the file was not stored; upload it again")
        }
        return stored
    }

    /// Writes the file's bytes to a fresh `<prefix>:blob:<uuid>` key that expires in 60 s.
    ///
    /// Readable by the session's visitor, the agents who served that visitor, and admins; anyone else gets
    /// `unknown_file` (visitors) or `forbidden` (agents). Result: `{ blob_key, name, mime_type, size }`.
    func get(_ actor: Actor, _ params: QueryParams) async throws -> JSONValue {
        let fileID = try params.uuid("file_id")
        let found = try await postgres.withConnection { connection -> (SessionAccess?, String, String, Int)? in
            let rows = try connection.query("SELECT session_id, name, mime_type, size FROM store.files WHERE file_id = $1", [fileID])
            guard let row = rows.first else { return nil }
            let session = try SessionAccess.load(try row.decode(UUID.self, at: 0), on: connection)
            return (session, try row.decode(String.self, at: 1), try row.decode(String.self, at: 2), try row.decode(Int.self, at: 3))
        }
        guard let (session, name, mimeType, size) = found, let session else { throw QueryFailure.unknownFile }
        try session.authorize(actor, hidden: .unknownFile)
        let rows = try await postgres.query("SELECT bytes FROM store.files WHERE file_id = $1", [fileID])
        guard let row = rows.first else { throw QueryFailure.unknownFile }
        let bytes = try row.decode([UInt8].self, at: 0)
        let key = try await blobs.offer(bytes)
        return .object([
            "blob_key": .string(key), "name": .string(name), "mime_type": .string(mimeType), "size": .integer(Int64(size)),
        ])
    }

    private func storedFile(requestID: UUID) async throws -> JSONValue? {
        let rows = try await postgres.query(
            "SELECT file_id, name, size, mime_type FROM store.files WHERE request_id = $1", [requestID])
        guard let row = rows.first else { return nil }
        return .object([
            "file_id": .string(try row.decode(UUID.self, at: 0).uuidString.lowercased()),
            "name": .string(try row.decode(String.self, at: 1)),
            "size": .integer(try row.decode(Int64.self, at: 2)),
            "mime_type": .string(try row.decode(String.self, at: 3)),
        ])
    }
}
