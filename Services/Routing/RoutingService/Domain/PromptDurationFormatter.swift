/// Language used to render prompt values such as durations.
public enum PromptLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    case zh, en
}

/// Formats waiting durations as short human text, e.g. "约3分钟" / "about 3 min".
///
/// Rules: unknown (`nil`) → "暂无法预估" / "unknown"; under 60 s (including 0) →
/// "不到1分钟" / "less than 1 min"; otherwise rounded to the nearest minute and shown as
/// "约N分钟" or "约H小时M分钟" ("about N min", "about H h M min"), omitting zero minutes.
public enum PromptDurationFormatter {
    /// Formats `seconds` (negative values are treated as 0).
    public static func format(seconds: Int?, language: PromptLanguage = .zh) -> String {
        guard let seconds else {
            return language == .zh ? "暂无法预估" : "unknown"
        }
        if seconds < 60 {
            return language == .zh ? "不到1分钟" : "less than 1 min"
        }
        let totalMinutes = seconds / 60 + (seconds % 60 >= 30 ? 1 : 0)
        let hours = totalMinutes / 60
        let minutes = totalMinutes % 60
        switch (language, hours, minutes) {
        case (.zh, 0, _): return "约\(minutes)分钟"
        case (.zh, _, 0): return "约\(hours)小时"
        case (.zh, _, _): return "约\(hours)小时\(minutes)分钟"
        case (.en, 0, _): return "about \(minutes) min"
        case (.en, _, 0): return "about \(hours) h"
        case (.en, _, _): return "about \(hours) h \(minutes) min"
        }
    }

    /// Formats a time left exactly, for promises such as the idle warning: "30秒", "1分钟", "1分30秒",
    /// "1小时5分钟" ("30 s", "1 min", "1 min 30 s", "1 h 5 min"); seconds are shown only under an hour.
    public static func exact(seconds: Int, language: PromptLanguage = .zh) -> String {
        let seconds = max(seconds, 0)
        let hours = seconds / 3_600
        let minutes = seconds % 3_600 / 60
        let rest = seconds % 60
        var parts: [String] = []
        if hours > 0 { parts.append(language == .zh ? "\(hours)小时" : "\(hours) h") }
        if minutes > 0 { parts.append(language == .zh ? "\(minutes)分钟" : "\(minutes) min") }
        if hours == 0, rest > 0 || minutes == 0 { parts.append(language == .zh ? "\(rest)秒" : "\(rest) s") }
        if language == .zh, minutes > 0, rest > 0, hours == 0 { return "\(minutes)分\(rest)秒" }
        return parts.joined(separator: language == .zh ? "" : " ")
    }
}
