export declare function transcriptKeys(prefix: string): {
  turns(conversationId: string): string;
  ref(reference: string): string;
  active: string;
};
