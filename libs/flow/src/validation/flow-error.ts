/** One problem in a flow document: the node at fault (null for the document itself), the field, what is wrong. */
export interface FlowError {
  nodeId: string | null;
  field: string;
  message: string;
}
