import StatusCore

/// A status badge in the common two-part style (label on grey, status on its colour), as
/// SVG: `/badge.svg` for the page, `/components/{id}/badge.svg` for one component. Text is
/// escaped; the status is in words, and the SVG carries `role="img"` and a `<title>`.
public enum Badge {
    /// `label | message` in `color`, each part sized to its text.
    public static func svg(label: String, message: String, color: String) -> [UInt8] {
        let labelWidth = textWidth(label) + 12
        let messageWidth = textWidth(message) + 12
        let width = labelWidth + messageWidth
        let title = HTMLEscaping.escape(label + ": " + message)
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="20" role="img" aria-label="\(title)">\
            <title>\(title)</title>\
            <rect width="\(labelWidth)" height="20" rx="3" fill="#555"/>\
            <rect x="\(labelWidth)" width="\(messageWidth)" height="20" rx="3" fill="\(color)"/>\
            <rect x="\(labelWidth)" width="4" height="20" fill="\(color)"/>\
            <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
            <text x="\(labelWidth / 2)" y="14">\(HTMLEscaping.escape(label))</text>\
            <text x="\(labelWidth + messageWidth / 2)" y="14">\(HTMLEscaping.escape(message))</text>\
            </g></svg>

            """
        return Array(svg.utf8)
    }

    /// Colours with at least 4.5:1 contrast against white text.
    public static func color(of status: ComponentStatus) -> String {
        switch status {
        case .operational: return "#1a7f37"
        case .degradedPerformance: return "#9a6700"
        case .partialOutage: return "#bc4c00"
        case .majorOutage: return "#cf222e"
        case .underMaintenance: return "#0969da"
        }
    }

    public static func color(of indicator: Impact) -> String {
        switch indicator {
        case .none: return color(of: ComponentStatus.operational)
        case .minor: return color(of: ComponentStatus.degradedPerformance)
        case .major: return color(of: ComponentStatus.partialOutage)
        case .critical: return color(of: ComponentStatus.majorOutage)
        case .maintenance: return color(of: ComponentStatus.underMaintenance)
        }
    }

    /// An estimate of the width of `text` in 11 px Verdana, wide enough that it never
    /// overflows: narrow letters 4 px, capitals and wide letters 8, others 7.
    static func textWidth(_ text: String) -> Int {
        var width = 0
        for character in text {
            if "ijlI.,:;!'|() ".contains(character) {
                width += 4
            } else if character.isUppercase || "mwMW@%".contains(character) || !character.isASCII {
                width += 9
            } else {
                width += 7
            }
        }
        return width
    }
}
