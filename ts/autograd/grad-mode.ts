/** Whether operations record the graph. One flag for the whole process, as in PyTorch's thread-local default. */
export const gradMode = { enabled: true };

export function isGradEnabled(): boolean {
  return gradMode.enabled;
}

export function setGradEnabled(flag: boolean): void {
  gradMode.enabled = !!flag;
}

function runWith<T>(flag: boolean, fn: () => T): T {
  const prev = gradMode.enabled;
  gradMode.enabled = flag;
  try {
    return fn();
  } finally {
    gradMode.enabled = prev;
  }
}

/** Runs `fn` with recording off and returns its result (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return runWith(false, fn);
}

/** Runs `fn` with recording on, e.g. inside a noGrad block (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  return runWith(true, fn);
}

/** Opt-in check that names the op whose backward produced NaN or Inf (torch.autograd.set_detect_anomaly). */
export const anomalyMode = { enabled: false };

export function setDetectAnomaly(flag: boolean): void {
  anomalyMode.enabled = !!flag;
}

export function isAnomalyEnabled(): boolean {
  return anomalyMode.enabled;
}

export function detectAnomaly<T>(fn: () => T): T {
  const prev = anomalyMode.enabled;
  anomalyMode.enabled = true;
  try {
    return fn();
  } finally {
    anomalyMode.enabled = prev;
  }
}
