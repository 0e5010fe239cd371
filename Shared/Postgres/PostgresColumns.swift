/// The column names and type OIDs of a result, shared by all its rows.
public final class PostgresColumns: Sendable {
    /// Column names in result order.
    public let names: [String]
    /// PostgreSQL type OIDs in result order (e.g. 23 int4, 25 text, 17 bytea, 1184 timestamptz).
    public let typeOIDs: [UInt32]
    private let indexByName: [String: Int]

    init(names: [String], typeOIDs: [UInt32]) {
        self.names = names
        self.typeOIDs = typeOIDs
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.indexByName = index
    }

    /// Number of columns.
    public var count: Int { names.count }

    /// The position of the first column called `name`, or nil.
    public func index(of name: String) -> Int? { indexByName[name] }
}
