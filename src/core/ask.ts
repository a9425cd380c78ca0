/**
 * Asking the person in front of the client (MCP elicitation), independent of the protocol era:
 * the SDK adapter builds a PersonAsker for a call only when the client can be asked.
 */

/** A form-mode elicitation: a message and a flat schema of primitive fields (MCP `elicitation/create`). */
export interface PersonQuestion {
  message: string;
  requestedSchema: {
    type: 'object';
    /** Yes/no fields only: what a confirmation needs, and valid in every elicitation schema version. */
    properties: Record<string, { type: 'boolean'; title?: string; description?: string; default?: boolean }>;
    required?: string[];
  };
}

/** What the person did with the form; `state` is the state the question was asked with, echoed back. */
export interface PersonAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
  state: string;
}

/** Asks the person and resolves with their answer; throws CannotAsk when the client failed to ask. */
export interface PersonAsker {
  /**
   * `state` is an opaque, integrity-protected string the answer must come back with (in the 2026-07-28
   * era the client echoes it as requestState on its retry, so nothing is kept between rounds).
   */
  ask(question: PersonQuestion, state: string): Promise<PersonAnswer>;
}

/** The client declared it can elicit but the question could not be put (transport error, timeout…). */
export class CannotAsk extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CannotAsk';
  }
}

/**
 * Thrown by an asker that cannot wait for the answer (2026-07-28: the answer comes with the client's
 * retry of the same request): the SDK adapter turns it into an input-required result.
 */
export class AskPending extends Error {
  constructor(
    readonly question: PersonQuestion,
    readonly state: string,
  ) {
    super('waiting for the person to answer');
    this.name = 'AskPending';
  }
}
