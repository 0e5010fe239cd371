import Foundation

extension Migrator {
    /// Reads `NNNN_name.sql` files from `directory`, ordered by version.
    ///
    /// Files not ending in `.sql` are ignored. A `.sql` file whose name is not digits, `_`, then a
    /// name of letters, digits, `_` or `-` is an error, and so are two files with the same version.
    /// - Throws: `.invalidMigration` naming the file.
    public static func load(directory: URL) throws(PostgresError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .invalidMigration(reason: "cannot list migration directory \(directory.path)")
        }
        var migrations: [Migration] = []
        var fileByVersion: [Int: String] = [:]
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let (version, name) = try parse(fileName: fileName)
            if let other = fileByVersion[version] {
                throw .invalidMigration(reason: "\(other) and \(fileName) have the same version \(version)")
            }
            fileByVersion[version] = fileName
            let url = directory.appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw .invalidMigration(reason: "cannot read \(fileName)")
            }
            guard let sql = String(data: data, encoding: .utf8) else {
                throw .invalidMigration(reason: "\(fileName) is not valid UTF-8")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Splits `0001_create_users.sql` into `(1, "create_users")`.
    static func parse(fileName: String) throws(PostgresError) -> (Int, String) {
        let stem = fileName.dropLast(".sql".count)
        guard let underscore = stem.firstIndex(of: "_") else {
            throw .invalidMigration(reason: "\(fileName): expected NNNN_name.sql")
        }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let version = Int(digits), version > 0 else {
            throw .invalidMigration(reason: "\(fileName): the version before '_' must be a positive number")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "_" || $0 == "-" }) else {
            throw .invalidMigration(reason: "\(fileName): the name after '_' may hold only letters, digits, '_' and '-'")
        }
        return (version, String(name))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
