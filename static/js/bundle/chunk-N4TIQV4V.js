import{a}from"./chunk-VJFSE2FE.js";import"./chunk-BZ7L6UZZ.js";import"./chunk-PN3UGAS6.js";import"./chunk-A7EMMVAY.js";import"./chunk-ESHZT7SB.js";import"./chunk-AN6SXTDP.js";export{a as TrainingView};
//# sourceMappingURL=chunk-N4TIQV4V.js.map
