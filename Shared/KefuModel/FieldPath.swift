/// Renders coding paths the way errors and docs name fields: `data.images[0].url`.
enum FieldPath {
    /// Joins coding keys with dots and integer keys as subscripts.
    static func render(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else if result.isEmpty {
                result = key.stringValue
            } else {
                result += "." + key.stringValue
            }
        }
        return result.isEmpty ? "(root)" : result
    }

    /// Joins a parent path and a child key.
    static func join(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : parent + "." + child
    }
}
