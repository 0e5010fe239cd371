import Foundation
import KefuModel
import Postgres

/// Who uploaded which file (`gateway.file_uploads`) and its reference, so that a sender can attach only its
/// own uploads and the message carries the name, size and type store recorded.
struct FileUploadStore: Sendable {
    let postgres: PostgresClient

    /// Records that `actor` uploaded `file`.
    func record(_ file: FileRef, by actor: Actor) async throws {
        try await postgres.execute(
            """
            INSERT INTO gateway.file_uploads (file_id, uploader, name, size, mime_type) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (file_id) DO NOTHING
            """,
            [file.fileID.uuid, UploadStore.uploader(actor), file.name, file.size, file.mimeType.rawValue])
    }

    /// The reference of `file` if `actor` uploaded it; otherwise 404 `unknown_file`.
    func owned(_ file: FileID, by actor: Actor) async throws -> FileRef {
        let rows = try await postgres.query(
            "SELECT name, size, mime_type FROM gateway.file_uploads WHERE file_id = $1 AND uploader = $2",
            [file.uuid, UploadStore.uploader(actor)])
        guard let row = rows.first, let type = FileType(rawValue: try row.decode(String.self, at: 2)) else {
            throw APIError.notFound(
                "unknown_file", "you did not upload file \(file); upload it with POST …/files and send the id it returns")
        }
        return FileRef(fileID: file, name: try row.decode(String.self, at: 0), size: try row.decode(Int.self, at: 1), mimeType: type)
    }

    /// Deletes records older than `days`.
    func purge(olderThanDays days: Int) async throws -> Int {
        try await postgres.execute("DELETE FROM gateway.file_uploads WHERE created_at < now() - make_interval(days => $1)", [days])
    }
}
