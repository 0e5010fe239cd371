import Foundation
import KefuModel
import Postgres

/// Who uploaded which image (`gateway.uploads`), so that a sender can attach only its own uploads.
struct UploadStore: Sendable {
    let postgres: PostgresClient

    /// The uploader key of `actor`: `visitor:<channel>:<visitor_id>` or `staff:<agent_id>`.
    static func uploader(_ actor: Actor) -> String {
        switch actor.role {
        case .visitor: "visitor:\(actor.channel ?? ""):\(actor.visitorID ?? "")"
        default: "staff:\(actor.agentID?.description ?? "")"
        }
    }

    /// Records that `actor` uploaded `image`.
    func record(_ image: ImageID, by actor: Actor) async throws {
        try await postgres.execute(
            "INSERT INTO gateway.uploads (image_id, uploader) VALUES ($1, $2) ON CONFLICT (image_id) DO NOTHING",
            [image.uuid, Self.uploader(actor)])
    }

    /// Throws 404 `unknown_image` naming the first of `images` that `actor` did not upload.
    func requireOwned(_ images: [ImageID], by actor: Actor) async throws {
        guard !images.isEmpty else { return }
        let rows = try await postgres.query(
            "SELECT image_id FROM gateway.uploads WHERE uploader = $1 AND image_id = ANY(string_to_array($2, ',')::uuid[])",
            [Self.uploader(actor), images.map(\.description).joined(separator: ",")])
        let owned = Set(try rows.map { try $0.decode(UUID.self, at: 0) })
        if let foreign = images.first(where: { !owned.contains($0.uuid) }) {
            throw APIError.notFound(
                "unknown_image", "you did not upload image \(foreign); upload it with POST …/images and send the id it returns")
        }
    }

    /// Deletes records older than `days`.
    func purge(olderThanDays days: Int) async throws -> Int {
        try await postgres.execute("DELETE FROM gateway.uploads WHERE created_at < now() - make_interval(days => $1)", [days])
    }
}
