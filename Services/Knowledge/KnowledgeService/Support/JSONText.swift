import Foundation
import KefuModel

/// Small conversions between JSON text (as PostgreSQL returns and takes it) and Swift values.
enum JSONText {
    /// Decodes a JSON array of strings, e.g. from `array_to_json(text[])::text`.
    static func strings(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// Encodes strings as a JSON array, e.g. for `jsonb_array_elements_text($1::jsonb)`.
    static func array(_ strings: [String]) -> String {
        let data = (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Encodes a JSON value, e.g. for `jsonb_to_recordset($1::jsonb)`.
    static func encode(_ value: JSONValue) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
