/// One result row, copied out of libpq into Swift storage (safe to keep and to send across tasks).
public struct PostgresRow: Sendable {
    /// The result's columns.
    public let columns: PostgresColumns
    /// Raw text values in column order; nil is SQL NULL.
    public let values: [String?]

    init(columns: PostgresColumns, values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Decodes the column at `index` (0-based).
    ///
    /// - Throws: `.decoding` if the index is out of range, the value is NULL and `T` is not
    ///   optional, or the text is not a valid `T`. The value itself is never quoted in the error.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws(PostgresError) -> T {
        guard values.indices.contains(index) else {
            throw .decoding(column: "#\(index)", reason: "the row has \(values.count) columns")
        }
        let column = columns.names[index]
        guard let text = values[index] else {
            return try T.postgresNull(column: column)
        }
        guard let value = T(postgresText: text) else {
            throw .decoding(column: column, reason: "value is not a valid \(T.self)")
        }
        return value
    }

    /// Decodes the first column called `name`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        guard let index = columns.index(of: name) else {
            throw .decoding(column: name, reason: "no such column in the result")
        }
        return try decode(type, at: index)
    }

    /// True when the column at `index` is NULL (or out of range).
    public func isNull(at index: Int) -> Bool {
        !values.indices.contains(index) || values[index] == nil
    }
}
