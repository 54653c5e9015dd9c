extension ValidationError {
    /// An input, in the domain's terms: what it describes, which of its attributes, and, for
    /// an attribute that holds several values, which one (`key`: a language, a component id,
    /// a position from 0). StatusCore knows no wire format; the web layer spells a field the
    /// way its clients write it.
    public struct Field: Hashable, Sendable, CustomStringConvertible {
        /// What the input describes.
        public enum Subject: String, Hashable, Sendable {
            case page, component, componentGroup, incident, incidentUpdate, subscriber, token, check, template
        }

        /// Which of the subject's attributes.
        public enum Attribute: String, CaseIterable, Hashable, Sendable {
            /// The subject itself, named by its id (a token by its name): a target not found.
            case identity
            case name, nameTranslations, status, body, bodyTranslations
            /// A component's or group's description in the page's other language.
            case descriptionTranslations
            /// The components an incident affects, or a group's members.
            case componentIDs
            /// The status an incident sets on one component (`key`: the component's id).
            case componentStatus
            case metadata, scheduledFor, scheduledUntil, nextUpdateAt, postmortemBody
            /// The group a component belongs to.
            case group
            case startDate
            case url, timeZone, defaultLanguage, logoURL, accentColor, stylesheetURL
            /// The page's header links as a whole.
            case headerLinks
            /// One header link's label or URL (`key`: its position).
            case headerLinkLabel, headerLinkURL
            /// Where a webhook subscriber is called.
            case endpoint
            /// The events a webhook subscriber asks for.
            case events
            /// The page's settings for checks and silence.
            case checksPublic, maxSilence, statementGrace
            /// A check's settings (`url` and `name` above are shared).
            case kind, method, expectedStatuses, bodyContains, followRedirects, interval, timeout, grace
            case failureThreshold, successThreshold
            /// The component a check watches.
            case component
            /// A heartbeat's secret, in its URL.
            case heartbeatSecret
            /// A mail subscriber's address and language.
            case email, language
            /// What a token may do, and when it stops working.
            case scopes, expiresAt
            /// An incident template's title (the incident's name it fills in) and its translations.
            case title, titleTranslations
        }

        public var subject: Subject
        public var attribute: Attribute
        public var key: String?

        public init(_ subject: Subject, _ attribute: Attribute, key: String? = nil) {
            self.subject = subject
            self.attribute = attribute
            self.key = key
        }

        public static func page(_ attribute: Attribute, key: String? = nil) -> Field { Field(.page, attribute, key: key) }
        public static func component(_ attribute: Attribute) -> Field { Field(.component, attribute) }
        public static func componentGroup(_ attribute: Attribute) -> Field { Field(.componentGroup, attribute) }
        public static func incident(_ attribute: Attribute, key: String? = nil) -> Field {
            Field(.incident, attribute, key: key)
        }
        public static func incidentUpdate(_ attribute: Attribute) -> Field { Field(.incidentUpdate, attribute) }
        public static func subscriber(_ attribute: Attribute) -> Field { Field(.subscriber, attribute) }
        public static func token(_ attribute: Attribute) -> Field { Field(.token, attribute) }
        public static func check(_ attribute: Attribute) -> Field { Field(.check, attribute) }
        public static func template(_ attribute: Attribute, key: String? = nil) -> Field {
            Field(.template, attribute, key: key)
        }

        /// The same attribute, one of its values.
        public func keyed(_ key: String) -> Field { Field(subject, attribute, key: key) }

        /// `incident.componentStatus[k3x9abcdefgh]`, for logs and test failures.
        public var description: String {
            "\(subject.rawValue).\(attribute.rawValue)" + (key.map { "[\($0)]" } ?? "")
        }
    }
}
