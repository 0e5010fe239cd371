/// Builds the text form of a PostgreSQL array, for one bind parameter that a set-based statement unnests
/// (`unnest($1::text[])`): elements are double-quoted with `"` and `\` escaped; `nil` is `NULL`.
public enum PostgresArray {
    /// `{"a","b\"c",NULL}` for `["a", "b\"c", nil]`.
    public static func literal(_ values: [String?]) -> String {
        var out = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            guard let value else {
                out += "NULL"
                continue
            }
            out += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { out += "\\" }
                out.unicodeScalars.append(character)
            }
            out += "\""
        }
        return out + "}"
    }

    /// The array literal of non-optional values.
    public static func literal(_ values: [String]) -> String {
        literal(values.map(Optional.some))
    }
}
