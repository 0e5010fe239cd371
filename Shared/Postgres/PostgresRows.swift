/// The rows and command status of one statement.
public struct PostgresRows: RandomAccessCollection, Sendable {
    /// The result's columns (empty for commands that return no rows).
    public let columns: PostgresColumns
    /// The rows, in server order.
    public let rows: [PostgresRow]
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE/COPY, or returned by SELECT (`PQcmdTuples`).
    public let affectedRows: Int

    init(columns: PostgresColumns, rows: [PostgresRow], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { rows.startIndex }
    public var endIndex: Int { rows.endIndex }
    public subscript(position: Int) -> PostgresRow { rows[position] }
}
