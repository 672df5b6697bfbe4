package sparkmerge.copy

/** What a copy wrote: its bytes, and how many line breaks it added where parts had none ([[LineEnds]]). */
private[sparkmerge] final case class Copied(bytes: Long, lineBreaksAdded: Int = 0)
