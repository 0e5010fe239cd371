import Foundation
import KefuModel

/// Pages of results that fit in one stream entry: at most `limit` items and about ``budget`` bytes of
/// JSON, so a reply never exceeds the contract's 64 KiB whatever the items hold.
enum Paging {
    /// Bytes of item JSON per reply (the rest of the 64 KiB is left for the envelope).
    static let budget = 48 * 1024

    /// Keeps items in order while they fit; `next_cursor` names the last kept one when more remain.
    static func page(_ items: [(json: JSONValue, cursor: String)], limit: Int, hasMore: Bool, budget: Int = budget) -> JSONValue {
        var kept: [JSONValue] = []
        var used = 0
        var lastCursor: String?
        var truncated = hasMore
        for item in items {
            guard kept.count < limit else { truncated = true; break }
            let size = encodedSize(item.json)
            if !kept.isEmpty, used + size > budget {
                truncated = true
                break
            }
            kept.append(item.json)
            used += size
            lastCursor = item.cursor
        }
        return .members([
            ("items", .array(kept)),
            ("next_cursor", truncated ? lastCursor.map(JSONValue.string) : nil),
        ])
    }

    /// The size of `value` as compact JSON.
    static func encodedSize(_ value: JSONValue) -> Int {
        (try? JSONEncoder().encode(value).count) ?? 0
    }

    /// A keyset cursor of a time (microseconds since 1970) and an id.
    static func cursor(micros: Int64, id: UUID) -> String {
        "\(micros)_\(id.lowercasedString)"
    }

    /// Parses a cursor made by ``cursor(micros:id:)``.
    static func parse(_ cursor: String?) throws -> (micros: Int64, id: UUID)? {
        guard let cursor else { return nil }
        let parts = cursor.split(separator: "_")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw Refusal(.invalidParams, "`cursor` is not one this service returned")
        }
        return (micros, id)
    }

    /// `text` as a `LIKE` pattern matching it anywhere (`contains`) or at the start.
    static func likePattern(_ text: String, contains: Bool) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return (contains ? "%" : "") + escaped + "%"
    }
}
