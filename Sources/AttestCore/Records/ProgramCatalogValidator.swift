// Attest — certificates and documents you can verify. Apache-2.0.

/// Checks a parsed catalog file against the catalog's rules and collects every problem with its line, so that an
/// operator can fix the whole file in one go.
struct ProgramCatalogValidator {
    private(set) var problems: [FieldProblem] = []

    mutating func catalog(_ document: LocatedJSON) -> [Program]? {
        guard let members = self.object(document, path: "$", allowed: ["programs"]) else { return nil }
        guard let list = members["programs"] else {
            self.problem(document, "programs", "is required: an array of programs")
            return nil
        }
        guard case .array(let elements) = list.value else {
            self.problem(list, "programs", "must be an array, not \(list.typeName)")
            return nil
        }
        if elements.isEmpty { self.problem(list, "programs", "must list at least one program") }
        var programs: [Program] = []
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let path = "programs[\(index)]"
            // Checked on the raw id, so that a duplicate is reported even when the rest of the program is wrong.
            if case .object(let members) = element.value, let value = members.first(where: { $0.key == "id" })?.value,
                case .string(let raw) = value.value
            {
                let id = CompletionRules.normalised(raw)
                if let first = seen[id] {
                    self.problem(value, path + ".id", "\"\(id)\" is already the id of programs[\(first)]")
                } else {
                    seen[id] = index
                }
            }
            if let program = self.program(element, path: path) { programs.append(program) }
        }
        return programs
    }

    private mutating func program(_ value: LocatedJSON, path: String) -> Program? {
        let allowed: Set<String> = ["id", "title", "organisation", "type", "courses"]
        guard let members = self.object(value, path: path, allowed: allowed) else { return nil }
        let id = self.text(members, "id", in: value, path: path, length: CompletionRules.identifierLength)
        let title = self.text(members, "title", in: value, path: path, length: CompletionRules.titleLength)
        let organisation = self.text(
            members,
            "organisation",
            in: value,
            path: path,
            length: CompletionRules.titleLength
        )
        let type = self.text(
            members,
            "type",
            in: value,
            path: path,
            length: ProgramCatalog.typeLength,
            required: false
        )
        let courses = self.courses(members["courses"], in: value, path: path + ".courses")
        guard let id, let title, let organisation, let courses else { return nil }
        return Program(id: id, title: title, organisation: organisation, type: type, courses: courses)
    }

    private mutating func courses(_ value: LocatedJSON?, in parent: LocatedJSON, path: String) -> [ProgramCourse]? {
        guard let value, !value.isNull else {
            self.problem(parent, path, "is required: an array of the program's courses in order")
            return nil
        }
        guard case .array(let elements) = value.value else {
            self.problem(value, path, "must be an array, not \(value.typeName)")
            return nil
        }
        guard (1...ProgramCatalog.maximumCourses).contains(elements.count) else {
            self.problem(value, path, "must list 1 to \(ProgramCatalog.maximumCourses) courses, not \(elements.count)")
            return nil
        }
        var courses: [ProgramCourse] = []
        var seen: [String: Int] = [:]
        var valid = true
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard let members = self.object(element, path: elementPath, allowed: ["course_id", "title"]) else {
                valid = false
                continue
            }
            let courseID = self.text(
                members,
                "course_id",
                in: element,
                path: elementPath,
                length: CompletionRules.identifierLength
            )
            let title = self.text(members, "title", in: element, path: elementPath, length: CompletionRules.titleLength)
            guard let courseID, let title else {
                valid = false
                continue
            }
            if let first = seen[courseID] {
                self.problem(
                    element,
                    elementPath + ".course_id",
                    "\"\(courseID)\" is already listed at \(path)[\(first)]"
                )
                valid = false
            } else {
                seen[courseID] = index
            }
            courses.append(ProgramCourse(courseID: courseID, title: title))
        }
        return valid ? courses : nil
    }

    // MARK: - Fields

    /// The members of an object by key; reports a value that is not an object, duplicate keys and unknown keys.
    private mutating func object(_ value: LocatedJSON, path: String, allowed: Set<String>) -> [String: LocatedJSON]? {
        guard case .object(let list) = value.value else {
            self.problem(value, path, "must be an object, not \(value.typeName)")
            return nil
        }
        var members: [String: LocatedJSON] = [:]
        for member in list {
            let memberPath = path == "$" ? member.key : path + "." + member.key
            if !allowed.contains(member.key) {
                self.problem(
                    member.value,
                    memberPath,
                    "is not a catalog field (expected \(allowed.sorted().joined(separator: ", ")))"
                )
            } else if members[member.key] != nil {
                self.problem(member.value, memberPath, "appears twice")
            } else {
                members[member.key] = member.value
            }
        }
        return members
    }

    private mutating func text(
        _ members: [String: LocatedJSON],
        _ key: String,
        in parent: LocatedJSON,
        path: String,
        length: ClosedRange<Int>,
        required: Bool = true
    ) -> String? {
        let fieldPath = path + "." + key
        guard let value = members[key], !value.isNull else {
            if required { self.problem(parent, fieldPath, "is required") }
            return nil
        }
        guard case .string(let raw) = value.value else {
            self.problem(value, fieldPath, "must be a string, not \(value.typeName)")
            return nil
        }
        let text = CompletionRules.normalised(raw)
        if let reason = CompletionRules.unprintableCharacter(in: text) {
            self.problem(value, fieldPath, reason)
            return nil
        }
        let count = text.unicodeScalars.count
        guard length.contains(count) else {
            let message =
                count == 0
                ? "must not be blank"
                : "must be \(length.lowerBound)–\(length.upperBound) characters after trimming, not \(count)"
            self.problem(value, fieldPath, message)
            return nil
        }
        return text
    }

    private mutating func problem(_ value: LocatedJSON, _ field: String, _ message: String) {
        self.problems.append(FieldProblem(field: field, message: message, line: value.line, column: value.column))
    }
}

extension LocatedJSON {
    fileprivate var isNull: Bool {
        if case .null = self.value { return true }
        return false
    }
}
