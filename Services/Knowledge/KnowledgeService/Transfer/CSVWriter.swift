import Foundation

/// Writes CSV that Excel opens as UTF-8: a byte-order mark, CRLF line ends, fields quoted when they hold a
/// comma, quote, line break or surrounding space. A field starting with `=`, `+`, `-` or `@` gets a leading
/// `'` so spreadsheets show it as text instead of running it as a formula; the importer removes it again.
struct CSVWriter {
    private(set) var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Appends one record.
    mutating func append(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: Self.encode(field).utf8)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    static func encode(_ field: String) -> String {
        var text = field
        if let first = text.first, formulaStarts.contains(first) { text = "'" + text }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Undoes the formula guard of ``encode(_:)`` on an imported field.
    static func unguard(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.dropFirst().first, formulaStarts.contains(second) else { return field }
        return String(field.dropFirst())
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@"]
}
