/// Consumer names that stay the same across restarts of one instance, so a restarted consumer
/// drains its own pending entries instead of leaving them to be claimed.
public enum ConsumerName {
    /// `<service>-<instance>`, e.g. `routing-web1-0`; characters outside `[A-Za-z0-9._-]` become `_`.
    ///
    /// - Parameters:
    ///   - service: The service name (`routing`).
    ///   - instance: The instance's stable name (`KEFU_INSTANCE`, by default the host name and an index).
    public static func stable(service: String, instance: String) -> String {
        "\(sanitize(service))-\(sanitize(instance))"
    }

    private static func sanitize(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return Character(scalar)
            default: return "_"
            }
        })
    }
}
